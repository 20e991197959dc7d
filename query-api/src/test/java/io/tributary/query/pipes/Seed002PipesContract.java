package io.tributary.query.pipes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.platform.store.AnalyticsStore;
import io.tributary.platform.store.QueryResult.QueryStatistics;
import io.tributary.platform.store.QueryResult.ResultColumn;
import io.tributary.query.testdata.SeedDataset;
import io.tributary.query.testdata.SeedDataset.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Seed 002's pipes against a real store holding {@link SeedDataset}: every call's rows must equal
 * the plain-Java expectation of {@link Seed002Expectations} in JSON, CSV and NDJSON, and every
 * store must give byte-identical output (the first store to run a call records it, the next
 * compares). Subclasses provide a migrated store; the data is written once per class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class Seed002PipesContract {
    static final String WS = "ws_seed";
    /** Another workspace with overlapping customer ids: none of its rows may show up. */
    static final String OTHER_WS = "ws_other";
    static final String EMPTY_WS = "ws_empty";

    private static final SeedDataset DATA = SeedDataset.standard(WS);
    private static final SeedDataset OTHER = SeedDataset.generate(OTHER_WS, 99L, 300, 5_000, 5);
    private static final Seed002Expectations EXPECT = new Seed002Expectations(DATA);
    /** call id + format → output of the first store that ran it. */
    private static final Map<String, String> FIRST_OUTPUT = new ConcurrentHashMap<>();
    private static final Map<String, String> FIRST_STORE = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN.mappedFeature());

    private static final Map<String, List<String>> COLUMNS = Map.of(
            "customer_purchase_history", List.of("event_id", "customer_id", "event_timestamp", "product_id", "category_id", "price",
                    "quantity", "line_total", "session_id", "device_type", "country"),
            "customer_segmentation_suggestions", List.of("name", "description", "rule", "customers", "revenue", "revenue_share",
                    "reference_time", "customers_analysed", "frequency_p50", "frequency_p80", "monetary_p50", "monetary_p80",
                    "recent_since", "lapsed_before"),
            "customer_behavioral_analysis", List.of("period", "event_type", "events", "unique_customers", "unique_sessions", "revenue",
                    "conversion_rate"),
            "segment_customers", List.of("segment_id", "segment_name", "customer_id", "email", "first_name", "last_name", "age", "gender",
                    "city", "country", "signup_date", "last_login", "customer_segment", "lifetime_value", "total_spent",
                    "purchase_count", "last_seen", "via_rule", "via_profile", "joined_at"),
            "segment_metrics", List.of("segment_id", "segment_name", "segment_type", "customers", "active_customers", "revenue",
                    "avg_lifetime_value", "avg_order_value", "events_per_customer"));

    private PipeEngine engine;

    /** The store under test, migrated and empty of these workspaces; null until opened. Closed after the class. */
    protected abstract AnalyticsStore store();

    protected abstract String storeName();

    /** Writes the data sets once; subclasses call it when their store is open. */
    protected final void seed() {
        if (engine == null) {
            DATA.writeTo(store());
            OTHER.writeTo(store());
            engine = new PipeEngine(PipeCatalog.fromClasspath(getClass().getClassLoader()), store());
        }
    }

    /** Runs a pipe on the seeded store (seeding it first if needed). */
    protected final PipeResult run(String pipe, String workspace, Map<String, String> params) {
        seed();
        Map<String, List<String>> query = new LinkedHashMap<>();
        params.forEach((k, v) -> query.put(k, List.of(v)));
        return engine.run(pipe, workspace, query);
    }

    /** Events of the seeded workspaces, all stored in the one customer_events table. */
    protected static long seededEvents() {
        return DATA.events.size() + OTHER.events.size();
    }

    /** A customer of the main workspace with the most events, and how many it has. */
    protected static Map.Entry<String, Long> busiestCustomer() {
        return DATA.events.stream().collect(Collectors.groupingBy(Event::customerId, Collectors.counting())).entrySet().stream()
                .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey())).orElseThrow();
    }

    @AfterAll
    void closeStore() {
        if (store() != null) {
            store().close();
        }
    }

    record Call(String id, String workspace, String pipe, Map<String, String> params, Integer limit, Supplier<List<List<Object>>> expected) {
    }

    private static Map<String, String> params(String... nameValues) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            out.put(nameValues[i], nameValues[i + 1]);
        }
        return out;
    }

    static List<Call> calls() {
        Map<String, Long> purchases = DATA.events.stream().filter(e -> e.eventType().equals("purchase"))
                .collect(Collectors.groupingBy(Event::customerId, Collectors.counting()));
        String heavy = purchases.entrySet().stream().max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .orElseThrow().getKey();
        String light = purchases.entrySet().stream().filter(e -> e.getValue() >= 3).min(Map.Entry.comparingByKey()).orElseThrow().getKey();
        String noPurchase = DATA.stats.stream().filter(s -> s.purchaseCount() == 0).findFirst().orElseThrow().customerId();
        Instant h1Start = Instant.parse("2023-03-01T00:00:00Z");
        Instant h1End = Instant.parse("2023-08-31T23:59:59Z");
        Instant q2Start = Instant.parse("2023-04-01T00:00:00Z");
        Instant q2End = Instant.parse("2023-06-30T23:59:59Z");
        int max = Integer.MAX_VALUE;
        List<Call> calls = new ArrayList<>();
        // customer_purchase_history
        calls.add(new Call("history heavy default limit", WS, "customer_purchase_history", params("customer_id", heavy), 50,
                () -> EXPECT.purchaseHistory(heavy, null, null, null, max)));
        calls.add(new Call("history heavy range category limit", WS, "customer_purchase_history",
                params("customer_id", heavy, "start_date", "2023-03-01 00:00:00", "end_date", "2023-08-31T23:59:59Z", "category_id", "cat-03",
                        "limit", "5"), 5, () -> EXPECT.purchaseHistory(heavy, h1Start, h1End, "cat-03", max)));
        calls.add(new Call("history light", WS, "customer_purchase_history", params("customer_id", light, "limit", "1000"), 1000,
                () -> EXPECT.purchaseHistory(light, null, null, null, max)));
        calls.add(new Call("history no purchases", WS, "customer_purchase_history", params("customer_id", noPurchase), 50, List::of));
        calls.add(new Call("history empty workspace", EMPTY_WS, "customer_purchase_history", params("customer_id", heavy), 50, List::of));
        // customer_segmentation_suggestions
        calls.add(new Call("suggestions", WS, "customer_segmentation_suggestions", params(), null, EXPECT::segmentationSuggestions));
        calls.add(new Call("suggestions empty workspace", EMPTY_WS, "customer_segmentation_suggestions", params(), null, List::of));
        // customer_behavioral_analysis
        calls.add(new Call("behavior all", WS, "customer_behavioral_analysis", params(), null,
                () -> EXPECT.behavioralAnalysis(null, null, null, null, null)));
        calls.add(new Call("behavior q2", WS, "customer_behavioral_analysis",
                params("start_date", "2023-04-01", "end_date", "2023-06-30 23:59:59"), null,
                () -> EXPECT.behavioralAnalysis(q2Start, q2End, null, null, null)));
        calls.add(new Call("behavior purchases US", WS, "customer_behavioral_analysis", params("event_type", "purchase", "country", "US"), null,
                () -> EXPECT.behavioralAnalysis(null, null, "purchase", "US", null)));
        calls.add(new Call("behavior mobile DE h1", WS, "customer_behavioral_analysis",
                params("device_type", "mobile", "country", "DE", "start_date", "2023-03-01 00:00:00", "end_date", "2023-08-31 23:59:59"), null,
                () -> EXPECT.behavioralAnalysis(h1Start, h1End, null, "DE", "mobile")));
        calls.add(new Call("behavior unknown type", WS, "customer_behavioral_analysis", params("event_type", "nope"), null, List::of));
        // segment_customers
        calls.add(new Call("segment VIP (two segments)", WS, "segment_customers", params("segment_name", "VIP"), 1000,
                () -> EXPECT.segmentCustomers("VIP", null, null, null, null, max)));
        calls.add(new Call("segment C seed example", WS, "segment_customers",
                params("segment_name", "Segment C", "country", "US", "min_age", "25", "max_age", "45", "min_lifetime_value", "500"), 1000,
                () -> EXPECT.segmentCustomers("Segment C", "US", 25, 45, new BigDecimal("500"), max)));
        calls.add(new Call("segment D limit 7", WS, "segment_customers", params("segment_name", "Segment D", "limit", "7"), 7,
                () -> EXPECT.segmentCustomers("Segment D", null, null, null, null, max)));
        calls.add(new Call("segment E ltv 1234.5", WS, "segment_customers",
                params("segment_name", "Segment E", "min_lifetime_value", "1234.5", "min_age", "30"), 1000,
                () -> EXPECT.segmentCustomers("Segment E", null, 30, null, new BigDecimal("1234.5"), max)));
        String formerOnly = DATA.segments.get(DATA.segments.size() - 2).segmentName();
        calls.add(new Call("segment only former members", WS, "segment_customers", params("segment_name", formerOnly), 1000, List::of));
        calls.add(new Call("segment unknown", WS, "segment_customers", params("segment_name", "No such segment"), 1000, List::of));
        // segment_metrics
        calls.add(new Call("metrics all", WS, "segment_metrics", params(), null, () -> EXPECT.segmentMetrics(null)));
        calls.add(new Call("metrics US", WS, "segment_metrics", params("country", "US"), null, () -> EXPECT.segmentMetrics("US")));
        calls.add(new Call("metrics unknown country", WS, "segment_metrics", params("country", "XX"), null, () -> EXPECT.segmentMetrics("XX")));
        return calls;
    }

    @TestFactory
    Stream<DynamicTest> pipesGiveTheExpectedRowsIdenticallyOnEveryStore() {
        seed();
        return calls().stream().map(call -> DynamicTest.dynamicTest(call.pipe() + ": " + call.id(), () -> check(call)));
    }

    /**
     * On DuckDB a max(event_timestamp) over the events shows in rows_read; ClickHouse 18.16 leaves
     * scalar subqueries out of its read_rows, so there this only bounds the main query.
     */
    @Test
    void statsPipesTakeTheirReferenceTimeFromTheStatsNotFromEveryEvent() {
        for (String pipe : new String[] {"customer_segmentation_suggestions", "segment_metrics"}) {
            PipeResult result = run(pipe, WS, Map.of());
            assertThat(result.rows()).as(pipe).isNotEmpty();
            assertThat(result.statistics().rowsRead()).as("%s rows_read of %,d stored events", pipe, seededEvents())
                    .isPositive()
                    .isLessThan(seededEvents());
        }
    }

    @TestFactory
    Stream<DynamicTest> theExpectationsAreNotTrivial() {
        return Stream.of(
                DynamicTest.dynamicTest("purchase history hits the page limit", () ->
                        assertThat(EXPECT.purchaseHistory(calls().get(0).params().get("customer_id"), null, null, null, Integer.MAX_VALUE))
                                .hasSizeGreaterThan(50)),
                DynamicTest.dynamicTest("every suggestion matches someone", () ->
                        assertThat(EXPECT.segmentationSuggestions()).allSatisfy(r -> assertThat((Long) r.get(3)).isPositive())),
                DynamicTest.dynamicTest("seed example filters keep some members", () ->
                        assertThat(EXPECT.segmentCustomers("Segment C", "US", 25, 45, new BigDecimal("500"), 1000)).isNotEmpty()),
                DynamicTest.dynamicTest("segment metrics hold empty and non-empty segments", () ->
                        assertThat(EXPECT.segmentMetrics(null)).extracting(r -> (Long) r.get(3)).contains(0L)
                                .anySatisfy(n -> assertThat(n).isGreaterThan(100L))));
    }

    private void check(Call call) throws IOException {
        PipeResult actual = run(call.pipe(), call.workspace(), call.params());
        assertThat(actual.columns()).extracting(ResultColumn::name).containsExactlyElementsOf(COLUMNS.get(call.pipe()));

        List<List<Object>> all = call.expected().get();
        List<List<Object>> page = call.limit() == null ? all : all.subList(0, Math.min(call.limit(), all.size()));
        long before = call.limit() == null ? all.size() : Math.min(all.size(), call.limit() + 1L);
        PipeResult expected = new PipeResult(call.pipe(), actual.columns(), page, before, new QueryStatistics(0, 0, 0));
        assertThat(actual.rowsBeforeLimitAtLeast()).as("rows_before_limit_at_least").isEqualTo(before);

        List<String> actualRows = dataRows(actual);
        List<String> expectedRows = dataRows(expected);
        assertThat(actualRows).as("data rows of %s on %s", call.id(), storeName()).containsExactlyElementsOf(expectedRows);
        for (PipeOutputFormat format : PipeOutputFormat.values()) {
            String output = format == PipeOutputFormat.JSON ? rawData(render(actual, format)) : render(actual, format);
            String expectedOutput = format == PipeOutputFormat.JSON ? rawData(render(expected, format)) : render(expected, format);
            assertThat(output).as(format + " output").isEqualTo(expectedOutput);
            String key = call.id() + "." + format.suffix();
            String first = FIRST_OUTPUT.putIfAbsent(key, output);
            if (first != null) {
                assertThat(output).as("%s: %s must be byte-identical to %s's", key, storeName(), FIRST_STORE.get(key)).isEqualTo(first);
            } else {
                FIRST_STORE.put(key, storeName());
            }
        }
    }

    /** The bytes of the JSON output's data array, as written. */
    private static String rawData(String json) {
        int from = json.indexOf("\"data\":");
        int to = json.lastIndexOf(",\"rows\":");
        return json.substring(from + "\"data\":".length(), to);
    }

    private static List<String> dataRows(PipeResult result) throws IOException {
        List<String> rows = new ArrayList<>();
        for (JsonNode row : data(result)) {
            rows.add(JSON.writeValueAsString(row));
        }
        return rows;
    }

    private static JsonNode data(PipeResult result) throws IOException {
        return JSON.readTree(render(result, PipeOutputFormat.JSON)).get("data");
    }

    private static String render(PipeResult result, PipeOutputFormat format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format.write(result, out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
