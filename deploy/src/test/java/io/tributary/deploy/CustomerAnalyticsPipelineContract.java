package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.platform.config.Setting;
import io.tributary.platform.store.QueryResult.ResultColumn;
import io.tributary.platform.store.QueryResult.QueryStatistics;
import io.tributary.platform.testing.TestFiles;
import io.tributary.query.pipes.PipeOutputFormat;
import io.tributary.query.pipes.PipeResult;
import io.tributary.query.pipes.Seed002Expectations;
import io.tributary.query.testdata.SeedDataset;
import io.tributary.query.testdata.SeedDataset.Event;
import io.tributary.query.testdata.SeedDataset.Member;
import io.tributary.query.testdata.SeedDataset.Profile;
import io.tributary.query.testdata.SeedDataset.Segment;
import io.tributary.query.testdata.SeedDataset.Stats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Seed 002 at size, through the whole pipeline: a deterministic data set (2,000 customers,
 * 200,000 events, profiles with superseded versions, replayed events, 20 segments whose rules
 * change) is posted to the Events API of a real node; Kafka Streams computes the aggregates and
 * membership; the sinks fill the store; every pipe's output is compared row by row with values
 * computed independently in Java (SeedDataset's stats, Seed002Expectations' pipe semantics,
 * SegmentTwin's hand-written rule twins). Then the store is rebuilt by replaying every topic
 * from offset zero and every pipe must answer byte for byte as before. Subclasses pick the store,
 * so DuckDB and ClickHouse are both held to the same independent expectation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class CustomerAnalyticsPipelineContract {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final int LINES_PER_REQUEST = 10_000;
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(5);

    private final SeedDataset base = SeedDataset.standard("e2e");
    private final List<SegmentTwin> segments = SegmentTwin.twenty();
    private SeedDataset expectedData;
    private Seed002Expectations expect;
    private Map<String, Set<String>> expectedMembers;

    private TributaryNode node;
    private Http http;
    private Path dataDir;

    protected abstract Map<Setting, String> storeSettings() throws Exception;

    @BeforeAll
    void ingestTheDataSet() throws Exception {
        dataDir = Files.createTempDirectory("tributary-pipeline-");
        node = TestNodes.start(dataDir, storeSettings());
        http = new Http(node.httpPort(), TestNodes.ADMIN_TOKEN);
        computeExpectations();

        long started = System.nanoTime();
        Map<String, String> first = SegmentTwin.firstRules();
        post("customer_segments", segments.stream().map(s -> segmentJson(s, first.getOrDefault(s.id(), s.rule()))).toList());
        post("customer_profiles", base.supersededProfiles().stream().map(CustomerAnalyticsPipelineContract::profileJson).toList());
        List<String> events = new ArrayList<>(base.events.stream().map(CustomerAnalyticsPipelineContract::eventJson).toList());
        events.addAll(base.replayedEvents().stream().map(CustomerAnalyticsPipelineContract::eventJson).toList());
        post("customer_events", events.subList(0, events.size() / 2));
        post("customer_profiles", base.profiles.stream().map(CustomerAnalyticsPipelineContract::profileJson).toList());
        post("customer_events", events.subList(events.size() / 2, events.size()));
        post("customer_segments", segments.stream().filter(s -> first.containsKey(s.id())).map(s -> segmentJson(s, s.rule())).toList());
        long posted = System.nanoTime();
        PipelineDrain.await(node.kafkaBootstrap(), DRAIN_TIMEOUT);
        System.out.printf("pipeline: %,d events (%,d replayed), %,d profiles (%,d superseded), %d segments posted in %d ms, "
                        + "aggregated, evaluated and stored %d ms later%n",
                events.size(), base.replayedEvents().size(), base.profiles.size() + base.supersededProfiles().size(),
                base.supersededProfiles().size(), segments.size(), (posted - started) / 1_000_000, (System.nanoTime() - posted) / 1_000_000);
    }

    @AfterAll
    void stopNode() {
        if (node != null) {
            node.close();
        }
        TestFiles.deleteRecursively(dataDir);
    }

    /** Members by hand: a rule twin is TRUE, or the profile names the segment. */
    private void computeExpectations() {
        Map<String, Stats> stats = base.statsByCustomer();
        Map<String, Profile> profiles = base.profilesByCustomer();
        Set<String> customers = new TreeSet<>(stats.keySet());
        customers.addAll(profiles.keySet());
        List<Member> members = new ArrayList<>();
        expectedMembers = new LinkedHashMap<>();
        for (SegmentTwin segment : segments) {
            Set<String> in = new TreeSet<>();
            for (String customer : customers) {
                Profile profile = profiles.get(customer);
                boolean viaRule = segment.matches(new SegmentTwin.Facts(stats.get(customer), profile));
                boolean viaProfile = profile != null && segment.name().equals(profile.customerSegment());
                if (viaRule || viaProfile) {
                    in.add(customer);
                    members.add(new Member(segment.id(), customer, segment.name(), true, viaRule, viaProfile, "-", Instant.EPOCH, 0));
                }
            }
            expectedMembers.put(segment.name(), in);
        }
        List<Segment> definitions = segments.stream().map(s -> new Segment(s.id(), s.name(), "Test segment " + s.id(),
                LocalDate.of(2023, 1, 1), LocalDate.of(2023, 6, 1), s.rule(), "behavioral", Instant.EPOCH, 0)).toList();
        expectedData = base.withSegments(definitions, members);
        expect = new Seed002Expectations(expectedData);
    }

    // ---- the calls and their independent expectations

    private record Call(String id, String path, Integer limit, Set<String> ignoredColumns, Supplier<List<List<Object>>> expected) {
    }

    private List<Call> calls() {
        Map<String, Long> purchases = base.events.stream().filter(e -> e.eventType().equals("purchase"))
                .collect(Collectors.groupingBy(Event::customerId, Collectors.counting()));
        String heavy = purchases.entrySet().stream().max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .orElseThrow().getKey();
        Instant h1Start = Instant.parse("2023-03-01T00:00:00Z");
        Instant h1End = Instant.parse("2023-08-31T23:59:59Z");
        int all = Integer.MAX_VALUE;
        List<Call> calls = new ArrayList<>();
        calls.add(new Call("history default limit", "customer_purchase_history.json?customer_id=" + heavy, 50, Set.of(),
                () -> expect.purchaseHistory(heavy, null, null, null, all)));
        calls.add(new Call("history filtered", "customer_purchase_history.json?customer_id=" + heavy
                + "&start_date=2023-03-01%2000:00:00&end_date=2023-08-31%2023:59:59&category_id=cat-03&limit=5", 5, Set.of(),
                () -> expect.purchaseHistory(heavy, h1Start, h1End, "cat-03", all)));
        calls.add(new Call("suggestions", "customer_segmentation_suggestions.json", null, Set.of(), expect::segmentationSuggestions));
        calls.add(new Call("behavior all", "customer_behavioral_analysis.json", null, Set.of(),
                () -> expect.behavioralAnalysis(null, null, null, null, null)));
        calls.add(new Call("behavior seed example", "customer_behavioral_analysis.json?start_date=2023-01-01%2000:00:00"
                + "&end_date=2023-06-30%2023:59:59&event_type=purchase&country=US", null, Set.of(),
                () -> expect.behavioralAnalysis(Instant.parse("2023-01-01T00:00:00Z"), Instant.parse("2023-06-30T23:59:59Z"), "purchase", "US", null)));
        calls.add(new Call("behavior mobile DE", "customer_behavioral_analysis.json?device_type=mobile&country=DE", null, Set.of(),
                () -> expect.behavioralAnalysis(null, null, null, "DE", "mobile")));
        // joined_at is when the pipeline evaluated the change: not a function of the input
        for (SegmentTwin s : segments) {
            calls.add(new Call("members of " + s.name(), "segment_customers.json?limit=100000&segment_name=" + Http.encode(s.name()), 100_000,
                    Set.of("joined_at"), () -> expect.segmentCustomers(s.name(), null, null, null, null, all)));
        }
        calls.add(new Call("members seed example", "segment_customers.json?segment_name=High%20Value%20Active&country=US&min_age=25"
                + "&max_age=45&min_lifetime_value=500", 1000, Set.of("joined_at"),
                () -> expect.segmentCustomers("High Value Active", "US", 25, 45, new BigDecimal("500"), all)));
        calls.add(new Call("metrics all", "segment_metrics.json", null, Set.of(), () -> expect.segmentMetrics(null)));
        calls.add(new Call("metrics US", "segment_metrics.json?country=US", null, Set.of(), () -> expect.segmentMetrics("US")));
        return calls;
    }

    @Test
    @Order(1)
    void everyPipeAnswersAsComputedIndependently() throws Exception {
        assertThat(expectedMembers.values()).as("the twins are not trivial").anySatisfy(m -> assertThat(m).hasSizeGreaterThan(200))
                .anySatisfy(m -> assertThat(m).isEmpty());
        for (Call call : calls()) {
            HttpResponse<String> response = http.get("/v0/pipes/" + call.path());
            assertThat(response.statusCode()).as(call.id() + ": " + response.body()).isEqualTo(200);
            JsonNode json = Http.json(response);
            List<List<Object>> expectedAll = call.expected().get();
            List<List<Object>> page = call.limit() == null ? expectedAll : expectedAll.subList(0, Math.min(call.limit(), expectedAll.size()));
            List<ResultColumn> columns = new ArrayList<>();
            json.get("meta").forEach(m -> columns.add(new ResultColumn(m.get("name").asText(), m.get("type").asText())));
            String expectedData = rawData(render(new PipeResult("expected", columns, page, page.size(), new QueryStatistics(0, 0, 0))));
            String actualData = rawData(response.body());
            if (call.ignoredColumns().isEmpty()) {
                assertThat(actualData).as(call.id()).isEqualTo(expectedData);
            } else {
                assertThat(withoutColumns(Http.json(actualData), call.ignoredColumns()))
                        .as(call.id()).isEqualTo(withoutColumns(Http.json(expectedData), call.ignoredColumns()));
            }
        }
        for (SegmentTwin s : segments) {
            assertThat(members(s.name())).as("members of %s (%s)", s.name(), s.rule()).isEqualTo(expectedMembers.get(s.name()));
        }
    }

    @Test
    @Order(2)
    void everySuggestedRuleHoldsTheCustomersItAnnouncesWhenPostedBackAsASegment() throws Exception {
        JsonNode suggestions = Http.json(http.get("/v0/pipes/customer_segmentation_suggestions.json")).get("data");
        assertThat(suggestions.size()).isGreaterThanOrEqualTo(4);
        List<String> lines = new ArrayList<>();
        int n = 0;
        for (JsonNode s : suggestions) {
            ObjectNode segment = Http.JSON.createObjectNode()
                    .put("segment_id", "suggested-" + (++n))
                    .put("segment_name", "Suggested: " + s.get("name").asText())
                    .put("segment_rules", s.get("rule").asText())
                    .put("segment_type", "suggested");
            lines.add(segment.toString());
        }
        post("customer_segments", lines);
        PipelineDrain.await(node.kafkaBootstrap(), DRAIN_TIMEOUT);
        for (JsonNode s : suggestions) {
            assertThat((long) members("Suggested: " + s.get("name").asText()).size())
                    .as("customers of suggestion %s: %s", s.get("name").asText(), s.get("rule").asText())
                    .isEqualTo(s.get("customers").asLong());
        }
    }

    @Test
    @Order(3)
    void rebuildingTheStoreFromOffsetZeroGivesTheSameAnswers() throws Exception {
        Map<String, String> before = new LinkedHashMap<>();
        for (Call call : calls()) {
            before.put(call.id(), rawData(http.get("/v0/pipes/" + call.path()).body()));
        }
        node.close();
        long started = System.nanoTime();
        node = TestNodes.start(dataDir, storeSettings(), true);
        http = new Http(node.httpPort(), TestNodes.ADMIN_TOKEN);
        PipelineDrain.await(node.kafkaBootstrap(), DRAIN_TIMEOUT);
        System.out.printf("store rebuilt from offset zero in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        for (Call call : calls()) {
            HttpResponse<String> response = http.get("/v0/pipes/" + call.path());
            assertThat(response.statusCode()).as(call.id() + ": " + response.body()).isEqualTo(200);
            assertThat(rawData(response.body())).as("%s after the rebuild", call.id()).isEqualTo(before.get(call.id()));
        }
    }

    // ---- helpers

    private Set<String> members(String segmentName) {
        HttpResponse<String> r = http.get("/v0/pipes/segment_customers.json?limit=100000&segment_name=" + Http.encode(segmentName));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Set<String> out = new TreeSet<>();
        Http.json(r).get("data").forEach(row -> out.add(row.get("customer_id").asText()));
        return out;
    }

    private void post(String datasource, List<String> lines) {
        for (int from = 0; from < lines.size(); from += LINES_PER_REQUEST) {
            List<String> chunk = lines.subList(from, Math.min(lines.size(), from + LINES_PER_REQUEST));
            HttpResponse<String> r = http.post("/v0/events?name=" + datasource, String.join("\n", chunk));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            JsonNode json = Http.json(r);
            assertThat(json.get("quarantined_rows").asLong()).as(r.body()).isZero();
            assertThat(json.get("successful_rows").asLong()).isEqualTo(chunk.size());
        }
    }

    private static ArrayNode withoutColumns(JsonNode rows, Set<String> columns) {
        ArrayNode out = Http.JSON.createArrayNode();
        rows.forEach(row -> {
            ObjectNode copy = ((ObjectNode) row).deepCopy();
            columns.forEach(copy::remove);
            out.add(copy);
        });
        return out;
    }

    private static String render(PipeResult result) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PipeOutputFormat.JSON.write(result, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The bytes of a JSON answer's data array, as written. */
    private static String rawData(String json) {
        int from = json.indexOf("\"data\":");
        int to = json.lastIndexOf(",\"rows\":");
        return json.substring(from + "\"data\":".length(), to);
    }

    // ---- rows as a producer would post them

    private static String eventJson(Event e) {
        ObjectNode o = Http.JSON.createObjectNode();
        o.put("event_id", e.eventId()).put("customer_id", e.customerId()).put("event_type", e.eventType())
                .put("event_timestamp", TIMESTAMP.format(e.eventTimestamp()));
        putIfPresent(o, "session_id", e.sessionId(), Function.identity());
        putIfPresent(o, "page_url", e.pageUrl(), Function.identity());
        putIfPresent(o, "product_id", e.productId(), Function.identity());
        putIfPresent(o, "category_id", e.categoryId(), Function.identity());
        if (e.price() != null) {
            o.put("price", e.price());
        }
        if (e.quantity() != null) {
            o.put("quantity", e.quantity());
        }
        putIfPresent(o, "device_type", e.deviceType(), Function.identity());
        putIfPresent(o, "country", e.country(), Function.identity());
        putIfPresent(o, "referrer", e.referrer(), Function.identity());
        putIfPresent(o, "user_agent", e.userAgent(), Function.identity());
        return o.toString();
    }

    private static String profileJson(Profile p) {
        ObjectNode o = Http.JSON.createObjectNode();
        o.put("customer_id", p.customerId());
        putIfPresent(o, "email", p.email(), Function.identity());
        putIfPresent(o, "first_name", p.firstName(), Function.identity());
        putIfPresent(o, "last_name", p.lastName(), Function.identity());
        if (p.age() != null) {
            o.put("age", p.age());
        }
        putIfPresent(o, "gender", p.gender(), Function.identity());
        putIfPresent(o, "city", p.city(), Function.identity());
        putIfPresent(o, "country", p.country(), Function.identity());
        putIfPresent(o, "signup_date", p.signupDate(), LocalDate::toString);
        putIfPresent(o, "last_login", p.lastLogin(), TIMESTAMP::format);
        putIfPresent(o, "customer_segment", p.customerSegment(), Function.identity());
        if (p.lifetimeValue() != null) {
            o.put("lifetime_value", p.lifetimeValue());
        }
        return o.toString();
    }

    private static String segmentJson(SegmentTwin s, String rule) {
        return Http.JSON.createObjectNode()
                .put("segment_id", s.id())
                .put("segment_name", s.name())
                .put("segment_description", "Test segment " + s.id())
                .put("creation_date", "2023-01-01")
                .put("update_date", "2023-06-01")
                .put("segment_rules", rule)
                .put("segment_type", "behavioral")
                .toString();
    }

    private static <T> void putIfPresent(ObjectNode o, String field, T value, Function<T, String> text) {
        if (value != null) {
            o.put(field, text.apply(value));
        }
    }
}
