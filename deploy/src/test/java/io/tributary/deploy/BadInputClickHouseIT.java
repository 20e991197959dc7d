package io.tributary.deploy;

import io.tributary.platform.config.Setting;
import io.tributary.platform.testing.ClickHouseExtension;
import io.tributary.platform.testing.ClickHouseServer;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/** Issue 8's fuzz and injection run with a real clickhouse-server process as the store. */
class BadInputClickHouseIT extends BadInputContract {
    @RegisterExtension
    static final TestInstancePostProcessor CLICKHOUSE = (instance, context) ->
            ((BadInputClickHouseIT) instance).clickhouse = ClickHouseExtension.shared(context);

    private ClickHouseServer clickhouse;

    @Override
    protected Map<Setting, String> storeSettings() {
        return TestNodes.clickHouseStore(clickhouse, clickhouse.newDatabase("badinput"));
    }
}
