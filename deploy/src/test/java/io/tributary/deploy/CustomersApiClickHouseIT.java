package io.tributary.deploy;

import io.tributary.platform.config.Setting;
import io.tributary.platform.testing.ClickHouseExtension;
import io.tributary.platform.testing.ClickHouseServer;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/** Seed 003 customer identity routes with a real clickhouse-server process as the store. */
class CustomersApiClickHouseIT extends CustomersApiContract {
    @RegisterExtension
    static final TestInstancePostProcessor CLICKHOUSE = (instance, context) ->
            ((CustomersApiClickHouseIT) instance).clickhouse = ClickHouseExtension.shared(context);

    private ClickHouseServer clickhouse;

    @Override
    protected Map<Setting, String> storeSettings() {
        return TestNodes.clickHouseStore(clickhouse, clickhouse.newDatabase("customers"));
    }
}
