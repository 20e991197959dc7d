package io.tributary.deploy;

import io.tributary.platform.config.Setting;
import io.tributary.platform.testing.ClickHouseExtension;
import io.tributary.platform.testing.ClickHouseServer;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/** The same end-to-end test with a real local clickhouse-server process as the store (skipped, with the reason, when there is none). */
class EndToEndClickHouseIT extends SpineEndToEndContract {
    /** Runs before the contract's @BeforeAll: the node needs the server's address. */
    @RegisterExtension
    static final TestInstancePostProcessor CLICKHOUSE = (instance, context) ->
            ((EndToEndClickHouseIT) instance).clickhouse = ClickHouseExtension.shared(context);

    private ClickHouseServer clickhouse;

    @Override
    protected Map<Setting, String> storeSettings() {
        return TestNodes.clickHouseStore(clickhouse, clickhouse.newDatabase("e2e"));
    }
}
