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
        return Map.of(
                Setting.STORE, "clickhouse",
                Setting.CLICKHOUSE_URL, clickhouse.url(),
                Setting.CLICKHOUSE_USER, clickhouse.user(),
                Setting.CLICKHOUSE_PASSWORD, clickhouse.password(),
                Setting.CLICKHOUSE_DATABASE, clickhouse.newDatabase("e2e"));
    }
}
