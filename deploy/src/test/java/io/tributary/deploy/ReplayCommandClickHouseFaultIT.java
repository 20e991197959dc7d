package io.tributary.deploy;

import io.tributary.platform.config.Setting;
import io.tributary.platform.store.StoreTable;
import io.tributary.platform.store.StoreTables;
import io.tributary.platform.testing.ClickHouseExtension;
import io.tributary.platform.testing.ClickHouseServer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/** The replay contract with a real local clickhouse-server as the store (skipped, with the reason, when there is none). */
class ReplayCommandClickHouseFaultIT extends ReplayCommandContract {
    /** Runs before the contract's @BeforeAll: the node needs the server's address. */
    @RegisterExtension
    static final TestInstancePostProcessor CLICKHOUSE = (instance, context) -> {
        ReplayCommandClickHouseFaultIT test = (ReplayCommandClickHouseFaultIT) instance;
        test.clickhouse = ClickHouseExtension.shared(context);
        test.database = test.clickhouse.newDatabase("replay");
    };

    private ClickHouseServer clickhouse;
    private String database;

    @Override
    protected Map<Setting, String> storeSettings(Path dataDir) {
        return TestNodes.clickHouseStore(clickhouse, database);
    }

    @Override
    protected boolean keepsTheFirstCopyOfARepostedEvent() {
        return false;
    }

    @Override
    protected void emptyTablesByHand() {
        for (StoreTable table : StoreTables.ALL) {
            clickhouse.execute("TRUNCATE TABLE " + database + "." + table.name());
        }
    }

    /** FINAL: the latest version of each key, as the pipes read them. */
    @Override
    protected long rowsByHand(StoreTable table) {
        return Long.parseLong(clickhouse.execute("SELECT count() FROM " + database + "." + table.name() + " FINAL").strip());
    }

    @Override
    protected Set<String> eventIdsByHand() {
        return new TreeSet<>(Arrays.stream(clickhouse.execute("SELECT event_id FROM " + database + ".customer_events FINAL").split("\n"))
                .filter(line -> !line.isBlank()).toList());
    }
}
