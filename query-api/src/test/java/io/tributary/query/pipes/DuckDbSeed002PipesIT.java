package io.tributary.query.pipes;

import io.tributary.platform.store.AnalyticsStore;
import io.tributary.platform.store.duckdb.DuckDbStore;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seed 002's pipes on DuckDB in a file of a temp dir. */
class DuckDbSeed002PipesIT extends Seed002PipesContract {
    @TempDir
    static Path dir;
    private DuckDbStore store;

    @BeforeAll
    void open() {
        store = DuckDbStore.open(dir.resolve("pipes.duckdb"));
        store.migrate();
    }

    @Override
    protected AnalyticsStore store() {
        return store;
    }

    @Override
    protected String storeName() {
        return "DuckDB";
    }

    // rows_read is DuckDB's count of rows scanned: a full scan of customer_events would read every
    // seeded event; the index on customer_id (ddl/duckdb/007) reads about the customer's own.
    @Test
    void perCustomerPipesReadOnlyTheCustomersRowsThroughTheIndex() {
        Map.Entry<String, Long> busiest = busiestCustomer();
        assertThat(busiest.getValue()).isLessThan(2048L);
        for (String pipe : new String[] {"customer_activity", "customer_purchase_history"}) {
            PipeResult result = run(pipe, WS, Map.of("customer_id", busiest.getKey(), "limit", "1000"));
            assertThat(result.rows()).as(pipe).isNotEmpty();
            assertThat(result.statistics().rowsRead()).as("%s rows_read of %,d stored events", pipe, seededEvents())
                    .isPositive()
                    .isLessThanOrEqualTo(4 * busiest.getValue());
        }
    }
}
