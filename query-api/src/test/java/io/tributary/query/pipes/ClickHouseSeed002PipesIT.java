package io.tributary.query.pipes;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.platform.store.AnalyticsStore;
import io.tributary.platform.store.clickhouse.ClickHouseConfig;
import io.tributary.platform.store.clickhouse.ClickHouseStore;
import io.tributary.platform.testing.ClickHouseExtension;
import io.tributary.platform.testing.ClickHouseServer;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Seed 002's pipes on a real ClickHouse (18.16 here); skipped with a message when none is available. */
@ExtendWith(ClickHouseExtension.class)
class ClickHouseSeed002PipesIT extends Seed002PipesContract {
    private ClickHouseServer server;
    private String database;
    private ClickHouseStore store;

    /** Opened before the first test (not in @BeforeAll, so that a missing server reports the tests as skipped). */
    @BeforeEach
    void open(ClickHouseServer server) {
        if (store == null) {
            this.server = server;
            database = server.newDatabase("pipes_it");
            store = ClickHouseStore.open(ClickHouseConfig.of(server.url(), database)
                    .withCredentials(server.user(), server.password()));
            store.migrate();
            // The data sets store replayed events as second copies. Without merges they stay two rows,
            // so every pipe must drop the copy itself rather than rely on a merge having run first.
            server.execute("SYSTEM STOP MERGES " + database + ".customer_events");
        }
    }

    @Test
    void perCustomerPipesReadAFewGranulesPerPartNotEveryMonth() {
        seed();
        Map.Entry<String, Long> busiest = busiestCustomer();
        long parts = Long.parseLong(server.execute("SELECT count() FROM system.parts WHERE active AND database = '" + database
                + "' AND table = 'customer_events'").strip());
        long bound = parts * 2 * 1024 + busiest.getValue();
        assertThat(bound).as("the bound must exclude reading every event").isLessThan(seededEvents() / 2);
        for (String pipe : new String[] {"customer_activity", "customer_purchase_history"}) {
            PipeResult result = run(pipe, WS, Map.of("customer_id", busiest.getKey(), "limit", "1000"));
            assertThat(result.rows()).as(pipe).isNotEmpty();
            assertThat(result.statistics().rowsRead()).as("%s rows_read of %,d stored events in %d parts", pipe, seededEvents(), parts)
                    .isPositive()
                    .isLessThanOrEqualTo(bound);
        }
    }

    @Override
    protected AnalyticsStore store() {
        return store;
    }

    @Override
    protected String storeName() {
        return "ClickHouse";
    }
}
