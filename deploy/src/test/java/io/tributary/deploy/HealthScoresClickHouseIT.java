package io.tributary.deploy;

import io.tributary.platform.config.Setting;
import io.tributary.platform.testing.ClickHouseExtension;
import io.tributary.platform.testing.ClickHouseServer;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/** Seed 004's upload and health scores with a real clickhouse-server process as the store. */
class HealthScoresClickHouseIT extends HealthScoresContract {
    @RegisterExtension
    static final TestInstancePostProcessor CLICKHOUSE = (instance, context) ->
            ((HealthScoresClickHouseIT) instance).clickhouse = ClickHouseExtension.shared(context);

    private ClickHouseServer clickhouse;

    @Override
    protected Map<Setting, String> storeSettings() {
        return TestNodes.clickHouseStore(clickhouse, clickhouse.newDatabase("health"));
    }
}
