package io.tributary.platform.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.platform.store.AnalyticsStore;
import io.tributary.platform.store.AnalyticsStoreContract;
import io.tributary.platform.store.BoundQuery;
import io.tributary.platform.store.Migrations;
import io.tributary.platform.store.QueryParam;
import io.tributary.platform.store.QueryResult;
import io.tributary.platform.store.StoreDialect;
import io.tributary.platform.store.StoreUnavailableException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract against DuckDB in a file of a temp dir, plus what only DuckDB does. */
class DuckDbStoreIT extends AnalyticsStoreContract {
    @TempDir
    static Path dir;
    private DuckDbStore store;

    @BeforeAll
    void open() {
        store = DuckDbStore.open(dir.resolve("store.duckdb"));
        store.migrate();
    }

    @Override
    protected AnalyticsStore store() {
        return store;
    }

    @Override
    protected List<String> storeOnlyColumns(String table) {
        return table.equals("customer_events") ? List.of("event_key") : List.of();
    }

    @Override
    protected String countType() {
        return "Int64";
    }

    @Override
    protected String sumOfInt32Type() {
        return "Int128";
    }

    @Test
    void checkpointsAtTheConfiguredLogSizeAndKeepsToTheMemoryLimit(@TempDir Path dir) {
        Path file = dir.resolve("t.duckdb");
        try (DuckDbStore store = DuckDbStore.open(file.toString(), new DuckDbStore.Tuning(64, 512))) {
            assertThat(setting(store, "checkpoint_threshold")).isEqualTo("64.0 MiB");
            assertThat(setting(store, "memory_limit")).isEqualTo("512.0 MiB");
        }
        try (DuckDbStore store = DuckDbStore.open(file.toString())) {
            assertThat(setting(store, "checkpoint_threshold")).isEqualTo("1.0 GiB");
            assertThat(setting(store, "memory_limit")).isEqualTo("2.0 GiB");
        }
    }

    private static Object setting(DuckDbStore store, String name) {
        return store.query(new BoundQuery("SELECT current_setting('" + name + "')", List.of())).rows().get(0).get(0);
    }

    @Test
    void migration018KeysStoredEventsByTheHashTheWritesUseSoReplaysStillChangeNothing(@TempDir Path own) throws Exception {
        Path file = own.resolve("before018.duckdb");
        // a database as the releases before 018 left it: every earlier migration applied, events keyed by the two columns
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + file); java.sql.Statement s = c.createStatement()) {
            for (Migrations.Migration m : Migrations.load(StoreDialect.DUCKDB, Map.of())) {
                if (m.version().compareTo("018") >= 0) {
                    break;
                }
                for (String statement : m.statements()) {
                    s.execute(statement);
                }
                s.execute("INSERT INTO schema_migrations VALUES ('" + m.version() + "', TIMESTAMP '2026-01-01 00:00:00')");
            }
            s.execute("INSERT INTO customer_events (workspace_id, event_id, customer_id, event_type, event_timestamp, ingested_at)"
                    + " VALUES ('ws_m18', 'e1', 'c1', 'view', TIMESTAMP '2026-01-01 10:00:00', TIMESTAMP '2026-01-01 10:00:01'),"
                    + " ('ws_m18', 'e2', 'c2', 'view', TIMESTAMP '2026-01-01 10:00:00', TIMESTAMP '2026-01-01 10:00:01'),"
                    // ('ws_m1', '8e1') must not take the key of ('ws_m18', 'e1')
                    + " ('ws_m1', '8e1', 'c3', 'view', TIMESTAMP '2026-01-01 10:00:00', TIMESTAMP '2026-01-01 10:00:01')");
        }
        try (DuckDbStore migrated = DuckDbStore.open(file)) {
            migrated.migrate();
            migrated.write(EVENTS, List.<Object[]>of(
                    event("ws_m18", "e1", "c1-replayed", "purchase", T0, BigDecimal.ONE, 1, true),
                    event("ws_m18", "e3", "c1", "purchase", T0, BigDecimal.ONE, 1, true),
                    event("ws_m1", "8e1", "c3-replayed", "purchase", T0, BigDecimal.ONE, 1, true)));
            List<List<Object>> rows = migrated.query(new BoundQuery(
                    "SELECT workspace_id, event_id, customer_id FROM customer_events ORDER BY workspace_id, event_id", List.of())).rows();
            assertThat(rows).as("first write wins across the migration; the new event is stored").containsExactly(
                    List.of("ws_m1", "8e1", "c3"), List.of("ws_m18", "e1", "c1"), List.of("ws_m18", "e2", "c2"), List.of("ws_m18", "e3", "c1"));
            assertThat(migrated.query(new BoundQuery("SELECT count(*) FROM customer_events WHERE customer_id = ?", List.of(QueryParam.string("c1"))))
                    .rows().get(0).get(0)).as("the per-customer index is back").isEqualTo(2L);
            assertThat(migrated.query(new BoundQuery("SELECT count(*) FROM duckdb_indexes() WHERE index_name = 'customer_events_by_customer'", List.of()))
                    .rows().get(0).get(0)).isEqualTo(1L);
            assertThat(migrated.query(new BoundQuery("SELECT constraint_type || ' ' || array_to_string(constraint_column_names, ',') FROM duckdb_constraints()"
                    + " WHERE table_name = 'customer_events' ORDER BY 1", List.of())).rows()).extracting(r -> r.get(0)).containsExactly(
                    "NOT NULL customer_id", "NOT NULL event_id", "NOT NULL event_key", "NOT NULL event_timestamp", "NOT NULL event_type",
                    "NOT NULL ingested_at", "NOT NULL workspace_id", "PRIMARY KEY event_key");
        }
    }

    @Test
    void bytesReadIsZeroBecauseDuckDbHasNoSuchCounter() {
        store.write(EVENTS, List.<Object[]>of(event("ws_duck_stats", "d1", "c1", "purchase", T0, BigDecimal.ONE, 1, true)));
        QueryResult result = query("SELECT count(*) FROM customer_events WHERE workspace_id = ?", QueryParam.string("ws_duck_stats"));
        assertThat(result.statistics().bytesRead()).isZero();
        assertThat(result.statistics().rowsRead()).isPositive();
    }

    @Test
    void dataSurvivesReopeningTheFileAndAClosedStoreIsUnavailable(@TempDir Path own) {
        Path file = own.resolve("nested/dir/reopen.duckdb");
        try (DuckDbStore first = DuckDbStore.open(file)) {
            first.migrate();
            first.write(EVENTS, List.<Object[]>of(event("ws_reopen", "r1", "c1", "purchase", T0, new BigDecimal("2.5"), 2, true)));
        }
        DuckDbStore second = DuckDbStore.open(file);
        try {
            second.migrate();
            assertThat(second.query(BoundQuery.of("SELECT event_id, price FROM customer_events")).rows())
                    .containsExactly(List.of("r1", new BigDecimal("2.5000")));
        } finally {
            second.close();
        }
        assertThatThrownBy(() -> second.query(BoundQuery.of("SELECT 1"))).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> second.write(EVENTS, List.<Object[]>of(event("ws_reopen", "r2", "c1", "x", T0, null, null, false))))
                .isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void inMemoryStoresWork() {
        try (DuckDbStore memory = DuckDbStore.open(":memory:")) {
            memory.migrate();
            memory.write(EVENTS, List.<Object[]>of(event("ws_mem", "m1", "c1", "purchase", T0, null, null, false)));
            assertThat(memory.query(BoundQuery.of("SELECT count(*) FROM customer_events")).rows()).containsExactly(List.of(1L));
        }
    }

    @Test
    void readsRunOnTheirOwnConnectionsWhileSinksWrite() throws Exception {
        String ws = "ws_concurrent";
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    for (int batch = 0; batch < 20; batch++) {
                        List<Object[]> rows = new ArrayList<>();
                        for (int i = 0; i < 500; i++) {
                            rows.add(event(ws, "w" + writer + "-" + batch + "-" + i, "c" + i, "page_view", T0, null, null, false));
                        }
                        store.write(EVENTS, rows);
                    }
                }));
            }
            futures.add(pool.submit(() -> {
                long last = 0;
                for (int q = 0; q < 50; q++) {
                    long n = (Long) query("SELECT count(*) FROM customer_events WHERE workspace_id = ?", QueryParam.string(ws)).rows().get(0).get(0);
                    assertThat(n).isGreaterThanOrEqualTo(last).isLessThanOrEqualTo(20_000L);
                    last = n;
                }
            }));
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(query("SELECT count(*) FROM customer_events WHERE workspace_id = ?", QueryParam.string(ws)).rows())
                .containsExactly(List.of(20_000L));
    }

    // Each table has its own writer connection: event inserts and stats upserts run side by side
    // (DuckDB would abort one of two transactions that changed the same rows; one writer per table
    // rules that out), and every row of both lands.
    @Test
    void writesToDifferentTablesRunSideBySideAndAllLand() throws Exception {
        String ws = "ws_tables";
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> events = pool.submit(() -> {
                for (int batch = 0; batch < 20; batch++) {
                    List<Object[]> rows = new ArrayList<>();
                    for (int i = 0; i < 500; i++) {
                        rows.add(event(ws, "t-" + batch + "-" + i, "c" + i, "page_view", T0, null, null, false));
                    }
                    store.write(EVENTS, rows);
                }
            });
            Future<?> stats = pool.submit(() -> {
                for (long version = 1; version <= 20; version++) {
                    List<Object[]> rows = new ArrayList<>();
                    for (int i = 0; i < 500; i++) {
                        rows.add(statsRow(ws, "c" + i, version, Map.of("page_view", version), 0, 0, "0", T0, T0.plusSeconds(version), null, null));
                    }
                    store.write(STATS, rows);
                }
            });
            events.get(120, TimeUnit.SECONDS);
            stats.get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(query("SELECT count(*) FROM customer_events WHERE workspace_id = ?", QueryParam.string(ws)).rows())
                .containsExactly(List.of(10_000L));
        assertThat(query("SELECT count(*), min(event_count), max(event_count) FROM customer_stats WHERE workspace_id = ?",
                QueryParam.string(ws)).rows()).containsExactly(List.of(500L, 20L, 20L));
    }

    // DuckDB's DELETE only marks rows deleted: a staging table emptied and reused kept every row ever
    // staged, and every later merge scanned them all (a 1,000-row write took 240 ms after 3,000,000).
    // So no staging table survives a write, whether it succeeded or failed.
    @Test
    void noStagingTableSurvivesAWrite() {
        String ws = "ws_staging";
        store.write(EVENTS, List.<Object[]>of(event(ws, "s1", "c1", "page_view", T0, null, null, false)));
        store.write(STATS, List.<Object[]>of(statsRow(ws, "c1", 1, Map.of("page_view", 1L), 0, 0, "0", T0, T0, null, null)));
        assertThat(store.stagingTablesLeft()).isEmpty();

        Object[] tooPrecise = withColumn(event(ws, "s2", "c1", "purchase", T0, null, null, false), EVENTS, "price",
                new BigDecimal("100000000000000"));
        assertThatThrownBy(() -> store.write(EVENTS, List.<Object[]>of(tooPrecise))).isInstanceOf(RuntimeException.class);
        assertThat(store.stagingTablesLeft()).isEmpty();
        assertThat(query("SELECT count(*) FROM customer_events WHERE workspace_id = ?", QueryParam.string(ws)).rows())
                .containsExactly(List.of(1L));
    }
}
