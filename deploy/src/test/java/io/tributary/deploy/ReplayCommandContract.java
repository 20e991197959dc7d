package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.platform.config.Setting;
import io.tributary.platform.store.StoreTable;
import io.tributary.platform.store.StoreTables;
import io.tributary.platform.testing.TestFiles;
import io.tributary.query.pipes.PipeCatalog;
import io.tributary.query.pipes.PipeDefinition;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code tributary replay} on a store emptied by hand. A real node ingests events (with client
 * retries), profiles (some superseded), rule and profile segments, an insight created and one
 * deleted, and a health-scored upload; every pipe (and the REST reads of the other tables) is
 * recorded; the node stops; the tables are emptied with SQL on the store itself; the replay runs as
 * the command line does; the restarted node must answer exactly as before. Then a replay from a
 * time between two loads must bring back only what was ingested after it. Subclasses pick the store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ReplayCommandContract {
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(3);
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final Pattern PROGRESS = Pattern.compile("(?m)^replay: [\\d,]+ of [\\d,]+ records \\(\\d+%\\), [\\d,]+ records/s, ETA .+$");
    /** The early customer with a tenth of the early events: a long history. */
    private static final String HEAVY = "early-c-1";
    private static final String[] TYPES = {"page_view", "search", "add_to_cart", "purchase"};

    Path dataDir;
    TributaryNode node;
    private Http http;
    private Instant beforeFirst;
    private Instant midpoint;
    private final Set<String> earlyEventIds = new TreeSet<>();
    private final Set<String> lateEventIds = new TreeSet<>();
    private final Set<String> lateCustomers = new TreeSet<>();
    private final Set<String> repostedEventIds = new TreeSet<>();
    private Map<String, String> answers;

    protected abstract Map<Setting, String> storeSettings(Path dataDir) throws Exception;

    /** Deletes every row of every store table with SQL on the store itself, the node stopped. */
    protected abstract void emptyTablesByHand() throws Exception;

    /** Rows of {@code table} as the store holds them (the latest version of each key). */
    protected abstract long rowsByHand(StoreTable table) throws Exception;

    protected abstract Set<String> eventIdsByHand() throws Exception;

    /**
     * Whether the store keeps the first copy of an event posted twice whatever the batches were.
     * DuckDB does (INSERT OR IGNORE). ClickHouse's customer_events is a ReplacingMergeTree without a
     * version: the copy written last wins, and a replay batches differently from the live sink (both
     * copies in one batch, where the first is kept), so such an event's ingested_at may be the other
     * copy's. Only that column of those rows is then left out of the comparison.
     */
    protected abstract boolean keepsTheFirstCopyOfARepostedEvent();

    @BeforeAll
    void loadThroughARealNode() throws Exception {
        dataDir = Files.createTempDirectory("tributary-replay-");
        beforeFirst = Instant.now().minusSeconds(60);
        startNode();
        post("customer_segments", List.of(
                segment("seg-big", "Big Spenders", "total_spent > 400"),
                segment("seg-us", "US Buyers", "country = 'US' AND events.purchase >= 1"),
                segment("seg-vip", "VIP", "event_count > 100000"),
                segment("seg-regular", "Regulars", "event_count > 1")));
        Random random = new Random(20261202);
        List<String> profiles = new ArrayList<>();
        for (int c = 0; c < 60; c++) {
            if (c % 4 == 0) {
                profiles.add(profile("early-c-" + c, "Lyon", "FR", null, random)); // superseded below
            }
        }
        for (int c = 0; c < 60; c++) {
            profiles.add(profile("early-c-" + c, c % 3 == 0 ? "Boston" : "Berlin", c % 3 == 0 ? "US" : "DE", c % 7 == 0 ? "VIP" : null, random));
        }
        post("customer_profiles", profiles);
        List<String> events = events("early", 60, 2_400, random, earlyEventIds);
        post("customer_events", events.subList(0, 1_200));
        post("customer_events", events.subList(1_200, events.size()));
        post("customer_segments", List.of(segment("seg-regular", "Regulars", "event_count > 5")));
        String deleted = createInsight("early-c-1", "churn_risk", "quiet for weeks");
        createInsight("early-c-2", "upsell", "asked for the enterprise plan");
        assertThat(http.request("DELETE", "/v1/customer-insights/" + deleted, null, null).statusCode()).isEqualTo(204);
        configureHealthAndUpload(random);
        PipelineDrain.await(node.kafkaBootstrap(), DRAIN_TIMEOUT);

        // record timestamps are the producer's clock: a pause with nothing produced separates the two loads
        Thread.sleep(1_500);
        midpoint = Instant.now();
        Thread.sleep(1_500);
        List<String> late = events("late", 10, 300, random, lateEventIds);
        late.forEach(line -> lateCustomers.add(Http.json(line).get("customer_id").asText()));
        post("customer_events", late);
        post("customer_profiles", List.of(profile("late-c-0", "Paris", "US", "VIP", random)));
        PipelineDrain.await(node.kafkaBootstrap(), DRAIN_TIMEOUT);
        answers = answers();
    }

    @AfterAll
    void stopNode() {
        if (node != null) {
            node.close();
        }
        TestFiles.deleteRecursively(dataDir);
    }

    @Test
    @Order(1)
    void replayOnAStoreEmptiedByHandRestoresIdenticalPipeOutputs() throws Exception {
        Set<String> pipes = PipeCatalog.fromClasspath(getClass().getClassLoader()).all().stream().map(PipeDefinition::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(answers.keySet().stream().filter(call -> call.startsWith("/v0/pipes/"))
                .map(call -> call.substring("/v0/pipes/".length(), call.indexOf(".json"))).collect(Collectors.toSet()))
                .as("every pipe is asked").isEqualTo(pipes);
        answers.forEach((call, answer) -> {
            JsonNode json = Http.json(answer);
            assertThat(json.has("data") ? json.get("data").size() : json.size())
                    .as("%s answers something, so an empty store could not pass: %s", call, answer).isPositive();
        });

        stopAndEmptyByHand();
        String output = replay(beforeFirst.toString());

        assertThat(output).containsPattern(PROGRESS).contains("replay: done");
        restartAndDrain();
        Map<String, String> after = answers();
        answers.forEach((call, answer) -> assertThat(after.get(call)).as("%s after the replay", call).isEqualTo(answer));
        assertThat(eventIdsByHand()).isEqualTo(union(earlyEventIds, lateEventIds));
    }

    @Test
    @Order(2)
    void replayFromATimeBetweenTwoLoadsBringsBackOnlyWhatWasIngestedAfterIt() throws Exception {
        stopAndEmptyByHand();
        String output = replay(midpoint.toString());

        assertThat(output).containsPattern(PROGRESS);
        assertThat(eventIdsByHand()).as("the late load's events, none of the early one's").isEqualTo(lateEventIds);
        assertThat(rowsByHand(StoreTables.CUSTOMER_STATS)).as("statistics of the customers of the late load").isEqualTo(lateCustomers.size());
        assertThat(rowsByHand(StoreTables.CUSTOMER_PROFILES)).as("the late profile").isOne();
        for (StoreTable table : List.of(StoreTables.CUSTOMER_SEGMENTS, StoreTables.CUSTOMER_INSIGHTS, StoreTables.CUSTOMERS,
                StoreTables.CUSTOMER_METRICS, StoreTables.HEALTH_SCORES, StoreTables.NOTIFICATIONS)) {
            assertThat(rowsByHand(table)).as("%s: all written before the midpoint", table.name()).isZero();
        }
        restartAndDrain();
        String activity = "/v0/pipes/customer_activity.json?customer_id=" + lateCustomers.iterator().next();
        assertThat(answer(activity)).as("a late customer's events are back").isEqualTo(answers.get(activity));
        assertThat(Http.json(answer("/v0/pipes/customer_activity.json?customer_id=" + HEAVY)).get("data"))
                .as("an early customer's events are not").isEmpty();
    }

    // ---- the replay as the command line runs it

    private String replay(String from) {
        List<String> args = new ArrayList<>(List.of("replay", "--from", from, "--data-dir", dataDir.toString(), "--kafka-port", "0",
                "--partitions", "3"));
        try {
            storeSettings(dataDir).forEach((setting, value) -> args.addAll(List.of(setting.flag(), value)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long started = System.nanoTime();
        int exit = TributaryCli.run(args.toArray(String[]::new), Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        System.out.printf("tributary replay --from %s: exit %d in %d ms%n%s%s", from, exit, (System.nanoTime() - started) / 1_000_000, out, err);
        assertThat(exit).as(out + "\n" + err).isZero();
        return out.toString();
    }

    private void stopAndEmptyByHand() throws Exception {
        node.close();
        node = null;
        emptyTablesByHand();
        for (StoreTable table : StoreTables.ALL) {
            assertThat(rowsByHand(table)).as("%s emptied by hand", table.name()).isZero();
        }
    }

    private void startNode() throws Exception {
        node = TestNodes.start(dataDir, storeSettings(dataDir));
        http = new Http(node.httpPort(), TestNodes.ADMIN_TOKEN);
    }

    private void restartAndDrain() throws Exception {
        startNode();
        PipelineDrain.await(node.kafkaBootstrap(), DRAIN_TIMEOUT);
    }

    // ---- what is compared: every pipe, with a customer where one is required, and the REST reads of the other tables

    private Map<String, String> answers() {
        List<String> calls = new ArrayList<>();
        String late = lateCustomers.iterator().next();
        for (String customer : List.of(HEAVY, late)) {
            calls.add("/v0/pipes/customer_activity.json?customer_id=" + customer);
            calls.add("/v0/pipes/customer_purchase_history.json?customer_id=" + customer);
        }
        calls.add("/v0/pipes/customer_behavioral_analysis.json");
        calls.add("/v0/pipes/customer_health.json");
        calls.add("/v0/pipes/customer_metric_history.json?external_id=h-3&metric=logins");
        calls.add("/v0/pipes/customer_segmentation_suggestions.json");
        for (String segment : List.of("Big Spenders", "US Buyers", "VIP", "Regulars")) {
            calls.add("/v0/pipes/segment_customers.json?segment_name=" + Http.encode(segment));
        }
        calls.add("/v0/pipes/segment_metrics.json");
        calls.add("/v1/customer-insights?limit=100");
        calls.add("/api/v1/notifications");
        calls.add("/api/v1/customers/h-3/health");
        Map<String, String> out = new LinkedHashMap<>();
        calls.forEach(call -> out.put(call, answer(call)));
        return out;
    }

    /**
     * The answer to {@code call} without a pipe's statistics: they measure the read, not the data
     * (elapsed time; rows and bytes scanned, which follow how the store laid the rows out: ClickHouse
     * read 2,048 rows of the original parts and 1,024 of the replayed ones for the same answer).
     */
    private String answer(String call) {
        HttpResponse<String> r = http.get(call);
        assertThat(r.statusCode()).as(call + ": " + r.body()).isEqualTo(200);
        JsonNode json = Http.json(r.body());
        if (json instanceof ObjectNode object) {
            object.remove("statistics");
        }
        if (!keepsTheFirstCopyOfARepostedEvent()) {
            json.path("data").forEach(row -> {
                if (row.has("ingested_at") && repostedEventIds.contains(row.path("event_id").asText())) {
                    ((ObjectNode) row).remove("ingested_at");
                }
            });
        }
        return json.toString();
    }

    // ---- the data set

    private List<String> events(String prefix, int customers, int count, Random random, Set<String> ids) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String type = TYPES[random.nextInt(TYPES.length)];
            // customer 1 gets a tenth of the events: a customer with a long history
            int customer = random.nextInt(10) == 0 ? 1 : random.nextInt(customers);
            ObjectNode e = Http.JSON.createObjectNode()
                    .put("event_id", prefix + "-ev-" + i)
                    .put("customer_id", prefix + "-c-" + customer)
                    .put("event_type", type)
                    .put("event_timestamp", String.format("2024-%02d-%02d %02d:%02d:00", 1 + random.nextInt(12), 1 + random.nextInt(28),
                            random.nextInt(24), random.nextInt(60)))
                    .put("session_id", prefix + "-s-" + random.nextInt(count / 5))
                    .put("product_id", "p-" + random.nextInt(40))
                    .put("category_id", "cat-" + random.nextInt(6))
                    .put("device_type", random.nextBoolean() ? "mobile" : "desktop")
                    .put("country", random.nextBoolean() ? "US" : "DE");
            if (type.equals("purchase") || type.equals("add_to_cart")) {
                e.put("price", (100 + random.nextInt(20_000)) / 100.0);
            }
            if (type.equals("purchase")) {
                e.put("quantity", 1 + random.nextInt(3));
            }
            lines.add(e.toString());
            ids.add(prefix + "-ev-" + i);
        }
        for (int i = 0; i < count / 40; i++) {
            String again = lines.get(random.nextInt(lines.size())); // client retries: the same event again
            lines.add(again);
            repostedEventIds.add(Http.json(again).get("event_id").asText());
        }
        return lines;
    }

    private static String profile(String customer, String city, String country, String segment, Random random) {
        ObjectNode p = Http.JSON.createObjectNode().put("customer_id", customer).put("email", customer + "@example.com")
                .put("age", 20 + random.nextInt(50)).put("city", city).put("country", country).put("signup_date", "2023-0" + (1 + random.nextInt(9)) + "-15");
        if (segment != null) {
            p.put("customer_segment", segment);
        }
        return p.toString();
    }

    private static String segment(String id, String name, String rule) {
        return Http.JSON.createObjectNode().put("segment_id", id).put("segment_name", name).put("segment_description", "replay test")
                .put("creation_date", "2024-01-01").put("update_date", "2024-06-01").put("segment_rules", rule)
                .put("segment_type", "behavioral").toString();
    }

    private String createInsight(String customer, String type, String details) {
        HttpResponse<String> r = http.request("POST", "/v1/customer-insights",
                "customer_id=" + customer + "&insight_type=" + type + "&details=" + Http.encode(details), FORM);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Http.json(r).get("id").asText();
    }

    /** Seed 004 in the admin token's workspace: a scoring, then one upload of 30 customers with dated metrics. */
    private void configureHealthAndUpload(Random random) {
        ok(http.request("PUT", "/api/v1/metrics/logins", "{\"type\":\"number\"}", "application/json"));
        ok(http.request("PUT", "/api/v1/attributes/seats", "{\"type\":\"number\"}", "application/json"));
        ok(http.request("PUT", "/api/v1/scoring", """
                {"components": [
                  {"source": "metric", "codename": "logins", "weight": 2, "normalisation": "thresholds", "thresholds": [0, 10, 50]},
                  {"source": "attribute", "codename": "seats", "normalisation": "percentile"}]}""", "application/json"));
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            List<String> metrics = new ArrayList<>();
            for (int d = 1; d <= 5; d++) {
                metrics.add("{\"date\":\"2024-05-0" + d + "\",\"logins\":" + random.nextInt(60) + "}");
            }
            customers.add("{\"external_id\":\"h-" + i + "\",\"name\":\"Company " + i + "\",\"attributes\":{\"seats\":" + (1 + random.nextInt(500))
                    + "},\"metrics\":[" + String.join(",", metrics) + "]}");
        }
        HttpResponse<String> r = http.withToken(null).requestWithHeaders("POST", "/api/v1/customers",
                "{\"customers\":[" + String.join(",", customers) + "]}",
                Map.of("Content-Type", "application/json", "customerscore-key", TestNodes.ADMIN_TOKEN));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Await.until("the upload to be scored", () -> Http.json(http.get("/api/v1/notifications")).path("total").asInt() == 1);
    }

    private void post(String datasource, List<String> lines) {
        HttpResponse<String> r = http.post("/v0/events?name=" + datasource, String.join("\n", lines));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(Http.json(r).get("quarantined_rows").asLong()).as(r.body()).isZero();
    }

    private static void ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.request().method() + " " + r.uri() + ": " + r.body()).isEqualTo(200);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.addAll(b);
        return out;
    }
}
