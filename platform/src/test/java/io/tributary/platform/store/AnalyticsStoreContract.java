package io.tributary.platform.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tributary.platform.store.QueryResult.ResultColumn;
import io.tributary.schemas.avro.CustomerEvent;
import io.tributary.schemas.avro.CustomerStats;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The store contract: every {@link AnalyticsStore} adapter runs these tests against a real store
 * (DuckDbStoreIT, ClickHouseStoreIT) and must give the results expected here, which are computed in
 * the test, so the stores give identical results to one another. Each test works in its own
 * workspace_id, so tests share the tables of one store per class without seeing each other's rows.
 * Reads of customer_events and customer_stats go through {@link #events()} / {@link #stats()},
 * which add FINAL on ClickHouse (see the DDL).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AnalyticsStoreContract {
    protected static final Instant T0 = Instant.parse("2023-06-15T14:30:45Z");
    protected static final StoreTable EVENTS = StoreTables.CUSTOMER_EVENTS;
    protected static final StoreTable STATS = StoreTables.CUSTOMER_STATS;

    /** The store under test, migrated; null until the subclass opened it (a skipped class never does). Closed after the class. */
    protected abstract AnalyticsStore store();

    @AfterAll
    void closeStore() {
        AnalyticsStore store = store();
        if (store != null) {
            store.close();
        }
    }

    /** The type name of count(*): the stores differ here (ClickHouse UInt64, DuckDB Int64). */
    protected abstract String countType();

    /** The type name of sum() over an Int32 column: ClickHouse Int64, DuckDB Int128 (HUGEINT). */
    protected abstract String sumOfInt32Type();

    // ---- helpers

    protected final String events() {
        return "customer_events" + (store().dialect() == StoreDialect.CLICKHOUSE ? " FINAL" : "");
    }

    protected final String stats() {
        return "customer_stats" + (store().dialect() == StoreDialect.CLICKHOUSE ? " FINAL" : "");
    }

    protected final String dialectSql(String duckdb, String clickhouse) {
        return store().dialect() == StoreDialect.CLICKHOUSE ? clickhouse : duckdb;
    }

    /** Columns a store keeps for itself beside StoreTables' (DuckDB: customer_events' hashed primary key). */
    protected List<String> storeOnlyColumns(String table) {
        return List.of();
    }

    /** The columns of {@code SELECT * FROM from}, without the store's own ones, which must come first. */
    private List<ResultColumn> starColumns(String table, String from) {
        List<ResultColumn> all = query("SELECT * FROM " + from + " WHERE 1 = 0").columns();
        List<String> own = storeOnlyColumns(table);
        assertThat(all.subList(0, own.size())).extracting(ResultColumn::name).as(table).containsExactlyElementsOf(own);
        return all.subList(own.size(), all.size());
    }

    protected static String columns(StoreTable table) {
        return table.columns().stream().map(StoreColumn::name).collect(Collectors.joining(", "));
    }

    /** An event row with every column; {@code optional} fills the nullable ones or leaves them null. */
    protected static Object[] event(String ws, String id, String customer, String type, Instant at, BigDecimal price, Integer quantity, boolean optional) {
        return new Object[] {ws, id, customer, type, at,
                optional ? "sess-" + id : null,
                optional ? "https://example.com/product/" + id : null,
                optional ? "prod-" + id : null,
                optional ? "cat-1" : null,
                price, quantity,
                optional ? "mobile" : null,
                optional ? "US" : null,
                optional ? "google.com" : null,
                optional ? "Mozilla/5.0 (iPhone; CPU iPhone OS 13_2_3 like Mac OS X)" : null,
                at.plusSeconds(1),
                optional ? "buyer@example.com" : null, optional ? "clk-" + id : null, optional ? "lnk-1" : null,
                optional ? "newsletter" : null, optional ? "email" : null, optional ? "spring" : null};
    }

    protected static Object[] withColumn(Object[] row, StoreTable table, String column, Object value) {
        Object[] copy = row.clone();
        copy[table.indexOf(column)] = value;
        return copy;
    }

    protected static Object[] statsRow(String ws, String customer, long version, Map<String, Long> byType, long purchases, long items,
                                    String totalSpent, Instant firstSeen, Instant lastSeen, Instant firstPurchase, Instant lastPurchase) {
        TreeMap<String, Long> sorted = new TreeMap<>(byType);
        return new Object[] {ws, customer, sorted.values().stream().mapToLong(Long::longValue).sum(),
                List.copyOf(sorted.keySet()), List.copyOf(sorted.values()), purchases, items, new BigDecimal(totalSpent),
                firstSeen, lastSeen, firstPurchase, lastPurchase, version, lastSeen.plusSeconds(5),
                // session_count, distinct_products, distinct_categories, devices, countries, average_order_value, lifetime_value
                version, 2L * purchases, purchases, List.of("desktop", "mobile"), List.of("US"),
                purchases == 0 ? null : new BigDecimal(totalSpent).divide(BigDecimal.valueOf(purchases), 4, java.math.RoundingMode.HALF_EVEN),
                new BigDecimal(totalSpent)};
    }

    /** The normalised value a store must return for a written value (QueryResult's javadoc). */
    protected static Object expected(Object written) {
        if (written instanceof Instant t) {
            return LocalDateTime.ofInstant(t.truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC);
        }
        if (written instanceof BigDecimal d) {
            return d.setScale(4);
        }
        if (written instanceof Integer i) {
            return i.longValue();
        }
        if (written instanceof List<?> list) {
            return list.stream().map(AnalyticsStoreContract::expected).toList();
        }
        return written;
    }

    protected static List<Object> expectedRow(Object[] written) {
        return Collections.unmodifiableList(Arrays.stream(written).map(AnalyticsStoreContract::expected).collect(ArrayList::new, ArrayList::add, ArrayList::addAll));
    }

    protected final QueryResult query(String sql, QueryParam... params) {
        return store().query(BoundQuery.of(sql, params));
    }

    protected final long count(String whereSql, QueryParam... params) {
        return (Long) query("SELECT count(*) AS n FROM " + events() + " WHERE " + whereSql, params).rows().get(0).get(0);
    }

    protected final List<Object> column(QueryResult result, int index) {
        return result.rows().stream().map(r -> r.get(index)).toList();
    }

    // ---- migrations and DDL

    @Test
    void migrateTwiceIsANoOpAndRecordsEveryFile() {
        String ws = "ws_migrate";
        store().write(EVENTS, List.<Object[]>of(event(ws, "e1", "c1", "purchase", T0, new BigDecimal("1.5"), 1, true)));
        store().migrate();
        store().migrate();
        QueryResult versions = query("SELECT version FROM schema_migrations" + (store().dialect() == StoreDialect.CLICKHOUSE ? " FINAL" : "")
                + " ORDER BY version");
        assertThat(column(versions, 0)).containsExactly("000_schema_migrations.sql", "001_customer_events.sql", "002_customer_stats.sql",
                "003_customer_stats_aggregates.sql", "004_customer_profiles.sql", "005_customer_segments.sql", "006_segment_members.sql",
                "007_customer_events_by_customer.sql", "008_customer_events_by_year.sql", "009_customer_insights.sql",
                "010_customer_segments_finx.sql", "011_customers.sql", "012_customer_events_attribution.sql",
                "013_customers_email_sha256.sql", "014_customers_owner_email.sql", "015_customer_metrics.sql", "016_health_scores.sql",
                "017_notifications.sql", "018_customer_events_event_key.sql");
        assertThat(count("workspace_id = ?", QueryParam.string(ws))).isEqualTo(1L);
    }

    @Test
    void tablesHaveExactlyTheColumnsOfStoreTablesWithNormalisedTypes() {
        QueryResult events = query("SELECT " + columns(EVENTS) + " FROM " + events() + " WHERE 1 = 0");
        assertThat(events.columns()).containsExactly(
                new ResultColumn("workspace_id", "String"), new ResultColumn("event_id", "String"),
                new ResultColumn("customer_id", "String"), new ResultColumn("event_type", "String"),
                new ResultColumn("event_timestamp", "DateTime"), new ResultColumn("session_id", "String"),
                new ResultColumn("page_url", "String"), new ResultColumn("product_id", "String"),
                new ResultColumn("category_id", "String"), new ResultColumn("price", "Decimal(18, 4)"),
                new ResultColumn("quantity", "Int32"), new ResultColumn("device_type", "String"),
                new ResultColumn("country", "String"), new ResultColumn("referrer", "String"),
                new ResultColumn("user_agent", "String"), new ResultColumn("ingested_at", "DateTime"),
                new ResultColumn("email", "String"), new ResultColumn("click_id", "String"),
                new ResultColumn("link_id", "String"), new ResultColumn("utm_source", "String"),
                new ResultColumn("utm_medium", "String"), new ResultColumn("utm_campaign", "String"));
        assertThat(events.rows()).isEmpty();
        QueryResult stats = query("SELECT * FROM " + stats() + " WHERE 1 = 0");
        assertThat(stats.columns()).containsExactly(
                new ResultColumn("workspace_id", "String"), new ResultColumn("customer_id", "String"),
                new ResultColumn("event_count", "Int64"), new ResultColumn("events_by_type_keys", "Array(String)"),
                new ResultColumn("events_by_type_values", "Array(Int64)"), new ResultColumn("purchase_count", "Int64"),
                new ResultColumn("items_purchased", "Int64"), new ResultColumn("total_spent", "Decimal(18, 4)"),
                new ResultColumn("first_seen", "DateTime"), new ResultColumn("last_seen", "DateTime"),
                new ResultColumn("first_purchase_at", "DateTime"), new ResultColumn("last_purchase_at", "DateTime"),
                new ResultColumn("version", "Int64"), new ResultColumn("updated_at", "DateTime"),
                new ResultColumn("session_count", "Int64"), new ResultColumn("distinct_products", "Int64"),
                new ResultColumn("distinct_categories", "Int64"), new ResultColumn("devices", "Array(String)"),
                new ResultColumn("countries", "Array(String)"), new ResultColumn("average_order_value", "Decimal(18, 4)"),
                new ResultColumn("lifetime_value", "Decimal(18, 4)"));
        // SELECT * also proves the DDL's column order is StoreTables' order
        assertThat(starColumns(EVENTS.name(), events())).isEqualTo(events.columns());
        for (StoreTable table : StoreTables.ALL) {
            assertThat(starColumns(table.name(), table.name())).extracting(ResultColumn::name)
                    .as(table.name()).containsExactlyElementsOf(table.columns().stream().map(StoreColumn::name).toList());
        }
    }

    // ---- events

    @Test
    void eventsReadBackWithEveryColumnTypeNullsDecimalsAndTimestamps() {
        String ws = "ws_roundtrip";
        List<Object[]> rows = List.of(
                event(ws, "e1", "cust-789", "purchase", Instant.parse("2023-06-15T14:30:45.678Z"), new BigDecimal("49.99"), 1, true),
                event(ws, "e2", "cust-789", "page_view", Instant.EPOCH, null, null, false),
                withColumn(withColumn(event(ws, "e3", "Zoë 😀 日本", "purchase", T0, new BigDecimal("0.0001"), -3, true),
                        EVENTS, "user_agent", "it's a \"quote\" \\ back\nslash\ttab ? ?"), EVENTS, "referrer", ""),
                withColumn(event(ws, "e4", "cust-1", "refund", Instant.parse("2105-12-31T23:59:59Z"), new BigDecimal("-99999999999999.9999"),
                        Integer.MAX_VALUE, true), EVENTS, "ingested_at", Instant.parse("2105-12-31T23:59:59Z")),
                event(ws, "e5", "cust-1", "purchase", T0, new BigDecimal("99999999999999.9999"), Integer.MIN_VALUE, true));
        store().write(EVENTS, rows);

        QueryResult result = query("SELECT " + columns(EVENTS) + " FROM " + events() + " WHERE workspace_id = ? ORDER BY event_id",
                QueryParam.string(ws));

        assertThat(result.rows()).containsExactlyElementsOf(rows.stream().map(AnalyticsStoreContract::expectedRow).toList());
        assertThat(result.rows().get(0).get(EVENTS.indexOf("price"))).isEqualTo(new BigDecimal("49.9900"));
        assertThat(result.rows().get(0).get(EVENTS.indexOf("event_timestamp"))).isEqualTo(LocalDateTime.of(2023, 6, 15, 14, 30, 45));
        assertThat(result.rows().get(1).get(EVENTS.indexOf("event_timestamp"))).isEqualTo(LocalDateTime.of(1970, 1, 1, 0, 0));
        assertThat(result.rows().get(1).subList(5, 15)).containsOnlyNulls();
    }

    @Test
    void replayedBatchesAndDuplicatesInsideABatchChangeNothing() {
        String ws = "ws_replay";
        List<Object[]> distinct = IntStream.range(0, 100)
                .mapToObj(i -> event(ws, "e" + i, "c" + (i % 7), i % 3 == 0 ? "purchase" : "page_view", T0.plusSeconds(i * 60L),
                        i % 3 == 0 ? new BigDecimal(i + ".25") : null, i % 3 == 0 ? 2 : null, i % 2 == 0))
                .toList();
        List<Object[]> batch = new ArrayList<>(distinct);
        batch.addAll(distinct.subList(10, 20)); // the same events twice in one batch
        store().write(EVENTS, batch);
        store().write(EVENTS, batch);
        List<Object[]> reversed = new ArrayList<>(batch);
        Collections.reverse(reversed);
        store().write(EVENTS, reversed);

        String sql = "SELECT " + columns(EVENTS) + " FROM " + events() + " WHERE workspace_id = ? ORDER BY event_id";
        List<List<Object>> expected = distinct.stream().map(AnalyticsStoreContract::expectedRow)
                .sorted((a, b) -> ((String) a.get(1)).compareTo((String) b.get(1))).toList();
        assertThat(query(sql, QueryParam.string(ws)).rows()).containsExactlyElementsOf(expected);

        // a batch half old, half new adds only the new half
        List<Object[]> overlapping = new ArrayList<>(distinct.subList(50, 100));
        IntStream.range(100, 150).forEach(i -> overlapping.add(event(ws, "e" + i, "c1", "page_view", T0, null, null, false)));
        store().write(EVENTS, overlapping);
        assertThat(count("workspace_id = ?", QueryParam.string(ws))).isEqualTo(150L);
        BigDecimal revenue = (BigDecimal) query("SELECT sum(price) FROM " + events() + " WHERE workspace_id = ?", QueryParam.string(ws)).rows().get(0).get(0);
        BigDecimal expectedRevenue = IntStream.range(0, 100).filter(i -> i % 3 == 0).mapToObj(i -> new BigDecimal(i + ".25"))
                .reduce(BigDecimal.ZERO, BigDecimal::add).setScale(4);
        assertThat(revenue).isEqualTo(expectedRevenue);
    }

    @Test
    void aModestBatchOf50000EventsIsWrittenInOneCall() {
        String ws = "ws_bulk";
        int n = 50_000;
        List<Object[]> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(event(ws, "bulk-" + i, "c" + (i % 1000), i % 10 == 0 ? "purchase" : "page_view", T0.plusSeconds(i),
                    i % 10 == 0 ? new BigDecimal("10.50") : null, i % 10 == 0 ? 3 : null, true));
        }
        store().write(EVENTS, rows);
        QueryResult result = query("SELECT count(*) AS events, count(DISTINCT customer_id) AS customers, sum(quantity) AS items, sum(price) AS revenue FROM "
                + events() + " WHERE workspace_id = ?", QueryParam.string(ws));
        assertThat(result.rows().get(0)).containsExactly(50_000L, 1000L, 15_000L, new BigDecimal("52500.0000"));
    }

    @Test
    void avroRecordsWriteThroughAvroRows() {
        String ws = "ws_avro";
        CustomerEvent event = CustomerEvent.newBuilder()
                .setWorkspaceId(ws).setEventId("ev-12345").setCustomerId("cust-789").setEventType("purchase")
                .setEventTimestamp(Instant.parse("2023-06-15T14:30:45.123Z")).setSessionId("sess-456")
                .setPageUrl("https://example.com/product/123").setProductId("prod-123").setCategoryId("cat-456")
                .setPrice(new BigDecimal("49.9900")).setQuantity(1).setDeviceType("mobile").setCountry("US")
                .setReferrer("google.com").setUserAgent("Mozilla/5.0").setIngestedAt(Instant.parse("2023-06-15T14:30:46Z"))
                .build();
        CustomerStats stats = CustomerStats.newBuilder()
                .setWorkspaceId(ws).setCustomerId("cust-789").setEventCount(3).setEventsByType(Map.of("purchase", 1L, "page_view", 2L))
                .setPurchaseCount(1).setItemsPurchased(1).setTotalSpent(new BigDecimal("49.9900"))
                .setFirstSeen(T0).setLastSeen(T0.plusSeconds(60)).setFirstPurchaseAt(null).setLastPurchaseAt(T0.plusSeconds(60))
                .setVersion(3).setUpdatedAt(T0.plusSeconds(61))
                .build();
        store().write(EVENTS, AvroRows.toRows(EVENTS, List.of(event)));
        store().write(STATS, AvroRows.toRows(STATS, List.of(stats)));

        assertThat(query("SELECT event_id, event_timestamp, price, quantity FROM " + events() + " WHERE workspace_id = ?", QueryParam.string(ws)).rows())
                .containsExactly(List.of("ev-12345", LocalDateTime.of(2023, 6, 15, 14, 30, 45), new BigDecimal("49.9900"), 1L));
        assertThat(query("SELECT events_by_type_keys, events_by_type_values, first_purchase_at, version FROM " + stats() + " WHERE workspace_id = ?",
                QueryParam.string(ws)).rows())
                .containsExactly(Arrays.asList(List.of("page_view", "purchase"), List.of(2L, 1L), null, 3L));
    }

    // ---- stats upserts

    @Test
    void statsUpsertKeepsTheHighestVersionWhateverTheArrivalOrder() {
        String ws = "ws_stats";
        Instant t = T0;
        Object[] c1v1 = statsRow(ws, "c1", 1, Map.of("page_view", 1L), 0, 0, "0", t, t, null, null);
        Object[] c1v2 = statsRow(ws, "c1", 2, Map.of("page_view", 1L, "add_to_cart", 1L), 0, 0, "0", t, t.plusSeconds(10), null, null);
        Object[] c1v3 = statsRow(ws, "c1", 3, Map.of("page_view", 1L, "add_to_cart", 1L, "purchase", 1L), 1, 2, "99.98",
                t, t.plusSeconds(20), t.plusSeconds(20), t.plusSeconds(20));
        Object[] c1v4 = statsRow(ws, "c1", 4, Map.of("page_view", 2L, "add_to_cart", 1L, "purchase", 1L), 1, 2, "99.98",
                t, t.plusSeconds(30), t.plusSeconds(20), t.plusSeconds(20));
        Object[] c2v10 = statsRow(ws, "c2", 10, Map.of("purchase", 3L), 3, 3, "0.0003", t, t.plusSeconds(3), t, t.plusSeconds(3));
        Object[] c2v5 = statsRow(ws, "c2", 5, Map.of("purchase", 1L), 1, 1, "0.0001", t, t, t, t);
        Object[] c3v6 = statsRow(ws, "c3", 6, Map.of(), 0, 0, "0", t, t, null, null);
        Object[] c3v7 = statsRow(ws, "c3", 7, Map.of("page_view", 7L), 0, 0, "0", t, t, null, null);
        Object[] c3v8 = statsRow(ws, "c3", 8, Map.of("page_view", 8L), 0, 0, "12345678901234.5678", t, t, null, null);

        store().write(STATS, List.of(c1v1, c2v10));
        store().write(STATS, List.of(c1v3, c2v5));            // newer c1 wins, older c2 ignored
        store().write(STATS, List.of(c1v2, c1v3));            // older ignored, equal version replay changes nothing
        store().write(STATS, List.of(c3v7, c3v8, c3v6, c1v4, c1v4)); // in one batch: highest version per key

        QueryResult result = query("SELECT " + columns(STATS) + " FROM " + stats() + " WHERE workspace_id = ? ORDER BY customer_id",
                QueryParam.string(ws));
        assertThat(result.rows()).containsExactly(expectedRow(c1v4), expectedRow(c2v10), expectedRow(c3v8));
        assertThat(result.rows().get(0).get(STATS.indexOf("events_by_type_keys"))).isEqualTo(List.of("add_to_cart", "page_view", "purchase"));
        assertThat(result.rows().get(0).get(STATS.indexOf("events_by_type_values"))).isEqualTo(List.of(1L, 2L, 1L));
        assertThat(result.rows().get(2).get(STATS.indexOf("first_purchase_at"))).isNull();

        // replaying everything in reverse order changes nothing
        store().write(STATS, List.of(c3v6, c2v5, c1v1, c1v2, c1v3));
        assertThat(query("SELECT " + columns(STATS) + " FROM " + stats() + " WHERE workspace_id = ? ORDER BY customer_id",
                QueryParam.string(ws)).rows()).isEqualTo(result.rows());

        // an empty map is two empty arrays
        Object[] c4 = statsRow(ws, "c4", 1, Map.of(), 0, 0, "0", t, t, null, null);
        store().write(STATS, List.<Object[]>of(c4));
        assertThat(query("SELECT events_by_type_keys, events_by_type_values FROM " + stats() + " WHERE workspace_id = ? AND customer_id = ?",
                QueryParam.string(ws), QueryParam.string("c4")).rows()).containsExactly(List.of(List.of(), List.of()));
    }

    // ---- bound parameters

    protected static final List<String> STORED_STRINGS = List.of(
            "it's", "back\\slash", "ends with a backslash\\", "double \"quote\"", "question ?", "?", "' ? '", "??",
            "new\nline", "tab\tx", "unicode Zoë 😀 日本", "", "100%_sure", "/* not a comment */ -- nor this", "\\'", "''");

    protected static final List<String> INJECTIONS = List.of(
            "x' OR '1'='1", "'; DROP TABLE customer_events; --", "\\' OR 1=1 --", "x' OR 1=1 /*", "') OR ('a'='a",
            "x'; SELECT 1; --", "\\\\' OR '1'='1");

    @Test
    void stringParametersMatchExactlyAndInjectionStringsMatchNothingAndBreakNothing() {
        String ws = "ws_strings";
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < STORED_STRINGS.size(); i++) {
            rows.add(withColumn(event(ws, "s" + i, "c1", "page_view", T0, null, null, true), EVENTS, "user_agent", STORED_STRINGS.get(i)));
        }
        store().write(EVENTS, rows);
        String sql = "SELECT event_id, user_agent FROM " + events() + " WHERE workspace_id = ? AND user_agent = ? ORDER BY event_id";
        for (int i = 0; i < STORED_STRINGS.size(); i++) {
            String value = STORED_STRINGS.get(i);
            assertThat(query(sql, QueryParam.string(ws), QueryParam.string(value)).rows())
                    .as("user_agent = %s", value)
                    .containsExactly(List.of("s" + i, value));
        }
        for (String injection : INJECTIONS) {
            assertThat(query(sql, QueryParam.string(ws), QueryParam.string(injection)).rows()).as("user_agent = %s", injection).isEmpty();
            assertThat(query("SELECT count(*) FROM " + events() + " WHERE workspace_id = ? AND event_id = ?",
                    QueryParam.string(injection), QueryParam.string(injection)).rows().get(0).get(0)).isEqualTo(0L);
        }
        assertThat(count("workspace_id = ?", QueryParam.string(ws))).isEqualTo(STORED_STRINGS.size());
        // the parameters after a value holding '?' still bind in order
        assertThat(query("SELECT event_id FROM " + events() + " WHERE user_agent = ? AND workspace_id = ? AND event_id = ?",
                QueryParam.string("question ?"), QueryParam.string(ws), QueryParam.string("s4")).rows()).containsExactly(List.of("s4"));
    }

    @Test
    void parametersOfEveryValueTypeEchoWithTheSameValuesAndTypes() {
        record Echo(QueryParam param, Object value, String type) {
        }
        List<Echo> echoes = List.of(
                new Echo(QueryParam.string("x' OR '1'='1 \\ ?"), "x' OR '1'='1 \\ ?", "String"),
                new Echo(QueryParam.int32(-2_147_483_648), -2_147_483_648L, "Int32"),
                new Echo(QueryParam.int64(Long.MIN_VALUE), Long.MIN_VALUE, "Int64"),
                new Echo(QueryParam.int64(Long.MAX_VALUE), Long.MAX_VALUE, "Int64"),
                new Echo(QueryParam.float64(0.1), 0.1, "Float64"),
                new Echo(QueryParam.float64(-2.5e10), -2.5e10, "Float64"),
                new Echo(QueryParam.float64(1e-300), 1e-300, "Float64"),
                new Echo(QueryParam.timestamp(Instant.parse("2023-06-15T14:30:45.999Z")), LocalDateTime.of(2023, 6, 15, 14, 30, 45), "DateTime"),
                new Echo(QueryParam.date(LocalDate.of(2023, 1, 2)), LocalDate.of(2023, 1, 2), "Date"),
                new Echo(QueryParam.bool(true), 1L, "UInt8"),
                new Echo(QueryParam.bool(false), 0L, "UInt8"),
                new Echo(QueryParam.stringArray(List.of("a", "it's", "?")), List.of("a", "it's", "?"), "Array(String)"),
                new Echo(QueryParam.stringArray(List.of()), List.of(), "Array(String)"),
                new Echo(QueryParam.int64Array(List.of(1L, -2L, Long.MAX_VALUE)), List.of(1L, -2L, Long.MAX_VALUE), "Array(Int64)"),
                new Echo(QueryParam.int64Array(List.of()), List.of(), "Array(Int64)"));
        for (Echo echo : echoes) {
            QueryResult result = query("SELECT ? AS v", echo.param());
            assertThat(result.rows()).as("%s", echo.param()).containsExactly(Collections.singletonList(echo.value()));
            assertThat(result.columns()).as("%s", echo.param()).containsExactly(new ResultColumn("v", echo.type()));
        }
        // decimals keep their value and scale; the literal's precision is the store's (DuckDB 4, ClickHouse 18)
        QueryResult decimal = query("SELECT ? AS v", QueryParam.decimal(new BigDecimal("49.99")));
        assertThat(decimal.rows().get(0).get(0)).isEqualTo(new BigDecimal("49.99"));
        assertThat(decimal.columns().get(0).type()).startsWith("Decimal(").endsWith(", 2)");
    }

    @Test
    void parametersOfEveryValueTypeFilterRows() {
        String ws = "ws_params";
        store().write(EVENTS, List.of(
                event(ws, "p1", "c1", "purchase", T0, new BigDecimal("49.99"), 1, true),
                event(ws, "p2", "c1", "purchase", T0.plusSeconds(3600), new BigDecimal("0.0001"), 5, true),
                event(ws, "p3", "c2", "page_view", T0.plus(1, ChronoUnit.DAYS), null, null, false)));
        QueryParam w = QueryParam.string(ws);
        assertThat(ids("quantity = ?", w, QueryParam.int32(5))).containsExactly("p2");
        assertThat(ids("quantity > ?", w, QueryParam.int64(0L))).containsExactly("p1", "p2");
        assertThat(ids("price = ?", w, QueryParam.decimal(new BigDecimal("49.99")))).containsExactly("p1");
        assertThat(ids("price < ?", w, QueryParam.decimal(new BigDecimal("0.001")))).containsExactly("p2");
        assertThat(ids("event_timestamp >= ? AND event_timestamp < ?", w,
                QueryParam.timestamp(T0.plusMillis(500)), QueryParam.timestamp(T0.plus(1, ChronoUnit.DAYS)))).containsExactly("p1", "p2");
        assertThat(ids(dialectSql("CAST(event_timestamp AS DATE) = ?", "toDate(event_timestamp) = ?"), w,
                QueryParam.date(LocalDate.of(2023, 6, 16)))).containsExactly("p3");
        assertThat(ids("(price IS NOT NULL) = ?", w, QueryParam.bool(false))).containsExactly("p3");
        assertThat(ids(dialectSql("list_contains(?, event_id)", "has(?, event_id)"), w,
                QueryParam.stringArray(List.of("p3", "p1", "x' OR '1'='1")))).containsExactly("p1", "p3");
        assertThat(ids(dialectSql("list_contains(?, CAST(quantity AS BIGINT))", "has(?, toInt64(quantity))"), w,
                QueryParam.int64Array(List.of(5L, 7L)))).containsExactly("p2");
        assertThat(ids(dialectSql("list_contains(?, event_id)", "has(?, event_id)"), w, QueryParam.stringArray(List.of()))).isEmpty();
        assertThat(query("SELECT count(*) FROM " + events() + " WHERE workspace_id = ? AND quantity * ? > 2",
                w, QueryParam.float64(0.5)).rows().get(0).get(0)).isEqualTo(1L);
    }

    private List<Object> ids(String condition, QueryParam workspace, QueryParam... more) {
        List<QueryParam> params = new ArrayList<>();
        params.add(workspace);
        params.addAll(List.of(more));
        return column(store().query(new BoundQuery("SELECT event_id FROM " + events() + " WHERE workspace_id = ? AND " + condition
                + " ORDER BY event_id", params)), 0);
    }

    @Test
    void aQuestionMarkInsideALiteralOrCommentIsNotAPlaceholder() {
        QueryResult result = query("SELECT '?' AS q, ? AS \"p?\", 'it''s ?' AS r /* ? */ -- ? \n",
                QueryParam.string("bound"));
        assertThat(result.rows()).containsExactly(List.of("?", "bound", "it's ?"));
        assertThat(result.columns()).extracting(ResultColumn::name).containsExactly("q", "p?", "r");
        assertThatCode(() -> BoundQuery.of("SELECT '?' AS q")).doesNotThrowAnyException();
        assertThatThrownBy(() -> BoundQuery.of("SELECT '?', ?")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 placeholders but 0 parameters");
    }

    // ---- aggregates and statistics

    @Test
    void aggregatesAreEqualAcrossStores() {
        String ws = "ws_agg";
        List<Object[]> rows = List.of(
                event(ws, "a1", "c1", "purchase", T0, new BigDecimal("49.99"), 1, true),
                event(ws, "a2", "c1", "purchase", T0.plusSeconds(60), new BigDecimal("0.0001"), 3, true),
                event(ws, "a3", "c2", "purchase", T0.plusSeconds(120), new BigDecimal("10.5"), null, true),
                event(ws, "a4", "c2", "purchase", T0.plusSeconds(180), null, 2, true),
                event(ws, "a5", "c3", "page_view", T0.plusSeconds(240), null, null, false),
                event(ws, "a6", "c1", "page_view", T0.plusSeconds(300), null, null, false));
        store().write(EVENTS, rows);
        QueryResult result = query("SELECT event_type, count(*) AS events, count(DISTINCT customer_id) AS customers, sum(price) AS revenue, "
                + dialectSql("avg(CAST(price AS DOUBLE))", "avg(toFloat64(price))") + " AS avg_price, sum(quantity) AS items, "
                + "min(event_timestamp) AS first_at, max(event_timestamp) AS last_at FROM " + events()
                + " WHERE workspace_id = ? GROUP BY event_type ORDER BY event_type", QueryParam.string(ws));

        assertThat(result.columns()).extracting(ResultColumn::name)
                .containsExactly("event_type", "events", "customers", "revenue", "avg_price", "items", "first_at", "last_at");
        assertThat(result.columns()).extracting(ResultColumn::type).containsExactly(
                "String", countType(), countType(), "Decimal(38, 4)", "Float64", sumOfInt32Type(), "DateTime", "DateTime");
        List<Object> pageView = result.rows().get(0);
        assertThat(pageView).containsExactly("page_view", 2L, 2L, null, null, null,
                expected(T0.plusSeconds(240)), expected(T0.plusSeconds(300)));
        List<Object> purchase = result.rows().get(1);
        assertThat(purchase.subList(0, 4)).containsExactly("purchase", 4L, 2L, new BigDecimal("60.4901"));
        assertThat((Double) purchase.get(4)).isCloseTo((49.99 + 0.0001 + 10.5) / 3, within(1e-9));
        assertThat(purchase.subList(5, 8)).containsExactly(6L, expected(T0), expected(T0.plusSeconds(180)));
    }

    @Test
    void statisticsArePresent() {
        String ws = "ws_statistics";
        store().write(EVENTS, List.of(event(ws, "x1", "c1", "purchase", T0, new BigDecimal("1"), 1, true),
                event(ws, "x2", "c1", "purchase", T0, new BigDecimal("2"), 1, true)));
        QueryResult result = query("SELECT count(*) FROM " + events() + " WHERE workspace_id = ?", QueryParam.string(ws));
        assertThat(result.rows()).containsExactly(List.of(2L));
        assertThat(result.statistics().elapsed()).isPositive();
        assertThat(result.statistics().rowsRead()).isGreaterThanOrEqualTo(2L);
        assertThat(result.statistics().bytesRead()).isNotNegative();
    }

    // ---- errors

    @Test
    void badSqlFailsWithStoreQueryExceptionAndAUsefulMessage() {
        assertThatThrownBy(() -> query("SELECT no_such_column FROM " + events()))
                .isInstanceOf(StoreQueryException.class).hasMessageContaining("no_such_column");
        assertThatThrownBy(() -> query("SELECT * FROM no_such_table"))
                .isInstanceOf(StoreQueryException.class).hasMessageContaining("no_such_table");
        assertThatThrownBy(() -> query("SELEC 1"))
                .isInstanceOf(StoreQueryException.class).hasMessageContainingAll("SELEC").message().containsIgnoringCase("syntax error");
        assertThatThrownBy(() -> query("SELECT 1; SELECT 2"))
                .isInstanceOf(StoreQueryException.class).hasMessageContaining("exactly one SQL statement");
    }

    @Test
    void queriesCannotChangeData() {
        String ws = "ws_readonly";
        store().write(EVENTS, List.<Object[]>of(event(ws, "r1", "c1", "purchase", T0, null, null, false)));
        assertThatThrownBy(() -> query("DROP TABLE customer_events")).isInstanceOf(StoreQueryException.class);
        assertThatThrownBy(() -> query("INSERT INTO customer_events (workspace_id, event_id, customer_id, event_type, event_timestamp, ingested_at) "
                + "SELECT workspace_id, 'r2', customer_id, event_type, event_timestamp, ingested_at FROM customer_events WHERE workspace_id = ?",
                QueryParam.string(ws))).isInstanceOf(StoreQueryException.class);
        assertThat(count("workspace_id = ?", QueryParam.string(ws))).isEqualTo(1L);
    }

    @Test
    void invalidRowsAreRejectedBeforeAnythingIsWritten() {
        String ws = "ws_invalid";
        Object[] good = event(ws, "v1", "c1", "purchase", T0, new BigDecimal("1.5"), 1, true);
        assertThatThrownBy(() -> store().write(EVENTS, List.of(good, withColumn(good, EVENTS, "customer_id", null))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1 column customer_id is null");
        assertThatThrownBy(() -> store().write(EVENTS, List.of(good, withColumn(good, EVENTS, "price", new BigDecimal("1.23456")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("price").hasMessageContaining("more than 4 decimal places");
        assertThatThrownBy(() -> store().write(EVENTS, List.<Object[]>of(withColumn(good, EVENTS, "quantity", 1L))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quantity");
        assertThatThrownBy(() -> store().write(EVENTS, List.<Object[]>of(withColumn(good, EVENTS, "event_timestamp", Instant.parse("1969-12-31T23:59:59Z")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event_timestamp");
        assertThat(count("workspace_id = ?", QueryParam.string(ws))).isZero();
    }

    @Test
    void writingToAMissingTableFailsWithStoreQueryException() {
        StoreTable missing = new StoreTable("no_such_table", EVENTS.columns(), EVENTS.keyColumns(), EVENTS.versionColumn(), EVENTS.mode());
        assertThatThrownBy(() -> store().write(missing, List.<Object[]>of(event("ws_missing", "m1", "c1", "x", T0, null, null, false))))
                .isInstanceOf(StoreQueryException.class).hasMessageContaining("no_such_table");
    }

    @Test
    void truncateEmptiesOneTableAndItAcceptsRowsAgain() {
        StoreTable segments = StoreTables.CUSTOMER_SEGMENTS;
        String table = store().dialect() == StoreDialect.CLICKHOUSE ? segments.name() + " FINAL" : segments.name();
        Instant at = Instant.parse("2023-06-01T00:00:00Z");
        java.util.function.Function<Integer, Object[]> segment = i -> new Object[] {"ws_truncate", "seg-" + i, "Segment " + i, null,
                null, null, "total_spent > " + i, "value-based", at, (long) i, null, null, false};
        store().write(segments, IntStream.range(0, 5).mapToObj(segment::apply).toList());
        long eventsBefore = (Long) query("SELECT count(*) FROM " + events()).rows().get(0).get(0);
        assertThat((Long) query("SELECT count(*) FROM " + table).rows().get(0).get(0)).isEqualTo(5L);

        store().truncate(segments);
        assertThat((Long) query("SELECT count(*) FROM " + table).rows().get(0).get(0)).isZero();
        assertThat((Long) query("SELECT count(*) FROM " + events()).rows().get(0).get(0)).as("other tables keep their rows").isEqualTo(eventsBefore);

        store().write(segments, IntStream.range(3, 5).mapToObj(segment::apply).toList());
        assertThat(column(query("SELECT segment_id FROM " + table + " ORDER BY segment_id"), 0)).containsExactly("seg-3", "seg-4");
    }

    @Test
    void anEmptyBatchIsANoOp() {
        store().write(EVENTS, List.of());
        store().write(STATS, List.of());
    }

    @Test
    void pingAnswersWhenTheStoreIsUp() {
        store().ping();
    }
}
