package io.tributary.platform.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.platform.store.BoundQuery;
import io.tributary.platform.store.QueryParam;
import io.tributary.platform.store.QueryResult;
import io.tributary.platform.store.StoreQueryException;
import io.tributary.platform.store.StoreUnavailableException;
import io.tributary.platform.testing.ClickHouseExtension;
import io.tributary.platform.testing.ClickHouseServer;
import io.tributary.platform.store.Migrations;
import io.tributary.platform.store.StoreDialect;
import io.tributary.platform.store.StoreTable;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The store contract against a real ClickHouse (18.16 here), plus outages and what only ClickHouse does. */
@ExtendWith(ClickHouseExtension.class)
class ClickHouseStoreIT extends ClickHouseContract {
    private ClickHouseServer server;

    /** Opened by the first test (not in @BeforeAll, so that a missing server reports every test as skipped). */
    @BeforeEach
    void open(ClickHouseServer server) {
        if (store == null) {
            this.server = server;
            store = ClickHouseStore.open(ClickHouseConfig.of(server.url(), server.newDatabase("store_it"))
                    .withCredentials(server.user(), server.password()));
            store.migrate();
        }
    }

    @Test
    void migration008KeepsEveryEventAndMovesThemToYearlyPartitionsOf1024RowGranules() {
        String database = server.newDatabase("migrate_008");
        List<Migrations.Migration> all = Migrations.load(StoreDialect.CLICKHOUSE, Map.of("database", database));
        int upTo007 = all.stream().map(Migrations.Migration::version).toList().indexOf("008_customer_events_by_year.sql");
        assertThat(upTo007).isPositive();
        try (ClickHouseStore before = ClickHouseStore.open(ClickHouseConfig.of(server.url(), database)
                .withCredentials(server.user(), server.password()))) {
            before.migrate(all.subList(0, upTo007));
            // the table as it was before 012 added the attribution columns: its first 16 columns
            StoreTable eventsV1 = new StoreTable(EVENTS.name(), EVENTS.columns().subList(0, 16), EVENTS.keyColumns(), EVENTS.versionColumn(),
                    EVENTS.mode());
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                rows.add(java.util.Arrays.copyOf(event("ws_008", "e" + i, "c" + (i % 4), i % 3 == 0 ? "purchase" : "page_view",
                        T0.minus(Duration.ofDays(40L * i)), BigDecimal.valueOf(i), i, i % 2 == 0), 16));
            }
            before.write(eventsV1, rows);
            String everyEvent = "SELECT " + String.join(", ", eventsV1.columns().stream().map(c -> c.name()).toList()) + " FROM " + database
                    + ".customer_events FINAL ORDER BY event_id";
            List<List<Object>> stored = before.query(new BoundQuery(everyEvent, List.of())).rows();
            assertThat(stored).hasSize(30);
            assertThat(createStatement(before, database)).contains("PARTITION BY toYYYYMM(event_timestamp)");

            before.migrate();
            before.migrate();

            assertThat(before.query(new BoundQuery(everyEvent, List.of())).rows()).isEqualTo(stored);
            assertThat(createStatement(before, database))
                    .contains("PARTITION BY toYear(event_timestamp)")
                    .contains("ORDER BY (workspace_id, customer_id, event_timestamp, event_id)")
                    .contains("index_granularity = 1024");
            assertThat(before.query(new BoundQuery("SELECT name FROM system.tables WHERE database = ? ORDER BY name",
                    List.of(QueryParam.string(database)))).rows().stream().map(r -> (String) r.get(0)))
                    .contains("customer_events").doesNotContain("customer_events_monthly", "customer_events_yearly");
        }
    }

    private static String createStatement(ClickHouseStore store, String database) {
        return (String) store.query(new BoundQuery("SELECT create_table_query FROM system.tables WHERE database = ? AND name = 'customer_events'",
                List.of(QueryParam.string(database)))).rows().get(0).get(0);
    }

    @Test
    void bytesReadComesFromTheServer() {
        store.write(EVENTS, List.<Object[]>of(event("ws_ch_stats", "b1", "c1", "purchase", T0, BigDecimal.ONE, 1, true)));
        QueryResult result = query("SELECT count(*) FROM customer_events FINAL WHERE workspace_id = ?", QueryParam.string("ws_ch_stats"));
        assertThat(result.statistics().bytesRead()).isPositive();
    }

    @Test
    void serverErrorTextReachesTheExceptionAlthough1816SendsNoErrorHeader() {
        assertThatThrownBy(() -> query("SELECT throwIf(1 = 1, 'custom failure text')"))
                .isInstanceOf(StoreQueryException.class)
                .hasMessageContaining("custom failure text")
                .hasMessageNotContaining("Unreadable");
        assertThatThrownBy(() -> query("DROP TABLE customer_events"))
                .isInstanceOf(StoreQueryException.class)
                .hasMessageContaining("readonly");
    }

    @Test
    void randomStringsSurviveTheLiteralRendererOnTheRealServer() {
        Random random = new Random(1816);
        char[] alphabet = "'\\\"?;-/*`\n\r\t\0 aZ9%_{}[]()é😀日".toCharArray();
        List<QueryParam> params = new ArrayList<>();
        List<Object> expected = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < 300; i++) {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(12);
            for (int k = 0; k < length; k++) {
                char c = alphabet[random.nextInt(alphabet.length)];
                if (Character.isSurrogate(c)) {
                    s.append("😀");
                } else {
                    s.append(c);
                }
            }
            params.add(QueryParam.string(s.toString()));
            expected.add(s.toString());
            sql.append(i == 0 ? "" : ", ").append("? AS s").append(i);
        }
        QueryResult result = store.query(new BoundQuery(sql.toString(), params));
        assertThat(result.rows()).containsExactly(expected);
    }

    @Test
    void unavailableWhileTheServerIsDownAndWritesWorkAfterItRestarts() {
        Assumptions.assumeTrue(server.isManaged(), "the external ClickHouse at CLICKHOUSE_URL cannot be stopped by the tests");
        String ws = "ws_outage";
        store.write(EVENTS, List.<Object[]>of(event(ws, "o1", "c1", "purchase", T0, new BigDecimal("1.25"), 1, true)));
        server.stop();
        try {
            assertThatThrownBy(store::ping).isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> store.write(EVENTS, List.<Object[]>of(event(ws, "o2", "c1", "purchase", T0, null, null, false))))
                    .isInstanceOf(StoreUnavailableException.class).hasMessageContaining(server.url());
            assertThatThrownBy(() -> query("SELECT count(*) FROM customer_events FINAL WHERE workspace_id = ?", QueryParam.string(ws)))
                    .isInstanceOf(StoreUnavailableException.class);
        } finally {
            server.start();
        }
        store.ping();
        store.write(EVENTS, List.<Object[]>of(event(ws, "o2", "c1", "purchase", T0, new BigDecimal("2.50"), 2, true)));
        QueryResult result = query("SELECT event_id, price FROM customer_events FINAL WHERE workspace_id = ? ORDER BY event_id", QueryParam.string(ws));
        assertThat(result.rows()).containsExactly(List.of("o1", new BigDecimal("1.2500")), List.of("o2", new BigDecimal("2.5000")));
    }

    @Test
    void anUnreachableServerIsUnavailableNotAQueryError() {
        try (ClickHouseStore nowhere = ClickHouseStore.open(ClickHouseConfig.of("http://127.0.0.1:1", "nowhere"))) {
            assertThatThrownBy(nowhere::ping).isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(nowhere::migrate).isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> nowhere.query(BoundQuery.of("SELECT 1"))).isInstanceOf(StoreUnavailableException.class);
        }
    }
}
