package io.tributary.deploy;

import io.tributary.platform.config.Setting;
import io.tributary.platform.testing.ClickHouseExtension;
import io.tributary.platform.testing.ClickHouseServer;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/** Seed 002 at size through the whole pipeline into a real local clickhouse-server (skipped, with the reason, when there is none). */
class CustomerAnalyticsPipelineClickHouseIT extends CustomerAnalyticsPipelineContract {
    @RegisterExtension
    static final TestInstancePostProcessor CLICKHOUSE = (instance, context) ->
            ((CustomerAnalyticsPipelineClickHouseIT) instance).clickhouse = ClickHouseExtension.shared(context);

    private ClickHouseServer clickhouse;
    private String database;

    @Override
    protected Map<Setting, String> storeSettings() {
        if (database == null) {
            database = clickhouse.newDatabase("pipeline"); // the same database when the node restarts
        }
        return TestNodes.clickHouseStore(clickhouse, database);
    }
}
