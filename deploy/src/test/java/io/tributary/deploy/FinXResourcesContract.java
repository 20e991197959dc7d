package io.tributary.deploy;

import static io.tributary.deploy.ApiAssertions.assertError;
import static io.tributary.deploy.ApiAssertions.fields;
import static io.tributary.deploy.ApiAssertions.ids;
import static io.tributary.deploy.ApiAssertions.quote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.platform.auth.TokenStore;
import io.tributary.platform.config.Setting;
import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.CustomerInsight;
import io.tributary.schemas.registry.HttpSchemaRegistryClient;
import io.tributary.schemas.serde.AvroDeserializer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Seeds 000 (customer insights) and 001 (customer segments) end to end on a real node, through
 * Kafka, the sinks and the store, with real HTTP calls: the seeds' curl examples as written, every
 * route against every auth and input failure, pagination, read-your-writes, concurrent updates,
 * and segments shared with the Events API. Run on both stores by the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FinXResourcesContract {
    private static final String SEED_HOST = "https://api.finx.ai";
    private static final String SEED_ID = "xgQQXg3hrtjh7AvZ";
    private static final String INSIGHTS = "/v1/customer-insights";
    private static final String SEGMENTS = "/v1/customer-segments";
    private static final String FORM = "application/x-www-form-urlencoded";

    private NodeWithTokens running;
    private Http admin;
    private Http otherWorkspace;
    private Http pipesOnly;
    private Http readOnly;

    protected abstract Map<Setting, String> storeSettings() throws Exception;

    @BeforeAll
    void startNode() throws Exception {
        running = NodeWithTokens.start("tributary-finx-", storeSettings());
        admin = running.operator();
        otherWorkspace = issue("ws-other", "insights:read", "insights:create", "insights:update", "insights:delete",
                "segments:read", "segments:create", "segments:update", "segments:delete");
        pipesOnly = issue(TokenStore.DEFAULT_WORKSPACE, "pipes:read");
        readOnly = issue(TokenStore.DEFAULT_WORKSPACE, "insights:read", "segments:read");
    }

    @AfterAll
    void stopNode() {
        if (running != null) {
            running.close();
        }
    }

    private Http issue(String workspace, String... scopes) {
        return running.issue(workspace, INSIGHTS, scopes);
    }

    // ---- the seeds' own examples ----

    @Test
    void seed000sCurlExamplesRunAsWrittenAndReturnTheDocumentedShapes() throws Exception {
        List<JsonNode> bodies = runSeed("000_", INSIGHTS);
        assertThat(bodies.get(1).get("customer_id").asText()).isEqualTo("WAz8eIbvDR60rouK");
        assertThat(bodies.get(1).get("insight_type").asText()).isEqualTo("purchase_behavior");
        assertThat(bodies.get(1).get("details").asText()).isEqualTo("Customer frequently purchases electronics.");
        assertThat(bodies.get(3).get("details").asText()).isEqualTo("Customer now prefers to purchase home appliances.");
        assertThat(bodies.get(3).get("insight_type").asText()).as("a partial update keeps the other fields").isEqualTo("purchase_behavior");
    }

    @Test
    void seed001sCurlExamplesRunAsWrittenAndReturnTheDocumentedShapes() throws Exception {
        List<JsonNode> bodies = runSeed("001_", SEGMENTS);
        assertThat(bodies.get(1).get("name").asText()).isEqualTo("High Spend Customers");
        assertThat(bodies.get(1).get("description").asText()).isEqualTo("Segment of customers who have high monthly spending.");
        // As written, bash expands "$1" in "$1000" to nothing: the server stores what curl sent.
        assertThat(bodies.get(1).get("criteria").asText()).isEqualTo("Customers who spend more than 000 per month");
        assertThat(bodies.get(1).get("criteria_type").asText()).as("free text is documentation").isEqualTo("text");
        assertThat(bodies.get(3).get("criteria").asText()).isEqualTo("Customers who spend more than 00 per month");
        assertThat(bodies.get(3).get("name").asText()).isEqualTo("High Spend Customers");
    }

    /**
     * Runs a seed's five examples (list, create, retrieve, update, delete) with the host swapped,
     * our token and, from retrieve on, the id the create returned; returns the JSON bodies.
     */
    private List<JsonNode> runSeed(String prefix, String path) throws Exception {
        Optional<Path> seed = SeedCurlExamples.seed(prefix);
        assumeTrue(seed.isPresent(), "seed " + prefix + " not found: ../shared/seeds/ is not beside the repository");
        List<String> curls = SeedCurlExamples.backslashContinuedCurls(seed.get());
        assertThat(curls).hasSize(5);
        String base = "http://127.0.0.1:" + running.node().httpPort();
        Map<String, String> swaps = Map.of(SEED_HOST, base, "{token}", TestNodes.ADMIN_TOKEN);
        List<JsonNode> bodies = new ArrayList<>();

        SeedCurlExamples.CommandResult list = SeedCurlExamples.run(curls.get(0), swaps, TestNodes.ADMIN_TOKEN);
        assertThat(list.status()).as(list.command() + "\n" + list.body()).isEqualTo(200);
        bodies.add(Http.json(list.body()));
        assertThat(bodies.get(0).fieldNames()).toIterable().containsExactly("has_more", "data");

        SeedCurlExamples.CommandResult create = SeedCurlExamples.run(curls.get(1), swaps, TestNodes.ADMIN_TOKEN);
        assertThat(create.status()).as(create.command() + "\n" + create.body()).isEqualTo(201);
        JsonNode created = Http.json(create.body());
        bodies.add(created);
        assertShape(path, created);
        String id = created.get("id").asText();
        assertThat(id).matches("[A-Za-z0-9]{16}");

        Map<String, String> withId = Map.of(SEED_HOST, base, "{token}", TestNodes.ADMIN_TOKEN, SEED_ID, id);
        SeedCurlExamples.CommandResult retrieve = SeedCurlExamples.run(curls.get(2), withId, TestNodes.ADMIN_TOKEN);
        assertThat(retrieve.status()).as(retrieve.body()).isEqualTo(200);
        bodies.add(Http.json(retrieve.body()));
        assertThat(bodies.get(2)).as("read your write: the retrieve right after the create").isEqualTo(created);

        SeedCurlExamples.CommandResult update = SeedCurlExamples.run(curls.get(3), withId, TestNodes.ADMIN_TOKEN);
        assertThat(update.status()).as(update.body()).isEqualTo(200);
        JsonNode updated = Http.json(update.body());
        bodies.add(updated);
        assertShape(path, updated);
        assertThat(updated.get("created_at")).isEqualTo(created.get("created_at"));
        assertThat(updated.get("updated_at").asLong()).isGreaterThanOrEqualTo(created.get("updated_at").asLong());
        assertThat(Http.json(admin.get(path + "/" + id))).as("read your write: the retrieve right after the update").isEqualTo(updated);

        SeedCurlExamples.CommandResult delete = SeedCurlExamples.run(curls.get(4), withId, TestNodes.ADMIN_TOKEN);
        assertThat(delete.status()).as(delete.body()).isEqualTo(204);
        assertThat(admin.get(path + "/" + id).statusCode()).as("deleted permanently").isEqualTo(404);
        assertThat(ids(admin.get(path + "?limit=100"))).doesNotContain(id);
        return bodies;
    }

    private static void assertShape(String path, JsonNode entity) {
        if (path.equals(INSIGHTS)) {
            assertThat(entity.fieldNames()).toIterable()
                    .containsExactly("id", "customer_id", "insight_type", "details", "created_at", "updated_at");
        } else {
            assertThat(entity.fieldNames()).toIterable()
                    .containsExactly("id", "name", "criteria", "criteria_type", "description", "created_at", "updated_at");
        }
        assertThat(entity.get("created_at").isIntegralNumber()).as("unix seconds").isTrue();
        assertThat(entity.get("created_at").asLong()).isBetween(1_600_000_000L, 4_000_000_000L);
    }

    // ---- auth, workspaces, input errors: every route ----

    @Test
    void everyRouteRefusesMissingAndWrongTokensAndTokensWithoutTheScope() {
        String insight = createInsight(admin, "cust-auth", "preference", "likes tea");
        String segment = createSegment(admin, "Auth", "total_spent > 1", "for auth tests");
        for (Route route : routes(insight, segment)) {
            assertError(route.send(admin.withToken(null)), 401, "UNAUTHORIZED", route + " without a token");
            assertError(route.send(admin.withToken("trb_not_a_token")), 401, "UNAUTHORIZED", route + " with a wrong token");
            assertError(route.send(pipesOnly), 403, "FORBIDDEN", route + " without its scope");
            if (!route.method().equals("GET")) {
                assertError(route.send(readOnly), 403, "FORBIDDEN", route + " with a read-only token");
            }
        }
    }

    @Test
    void anotherWorkspacesIdsAreNotFoundAndItsListsAreSeparate() {
        String insight = createInsight(admin, "cust-ws", "preference", "default workspace's");
        String segment = createSegment(admin, "Workspace", "visible only here", "default workspace's");
        for (Route route : routes(insight, segment)) {
            if (route.path().endsWith(insight) || route.path().endsWith(segment)) {
                assertError(route.send(otherWorkspace), 404, "NOT_FOUND", route + " from another workspace");
            }
        }
        assertThat(Http.json(admin.get(INSIGHTS + "/" + insight)).get("details").asText()).as("unchanged").isEqualTo("default workspace's");
        assertThat(admin.get(SEGMENTS + "/" + segment).statusCode()).as("not deleted").isEqualTo(200);

        String theirs = createInsight(otherWorkspace, "cust-ws", "preference", "other workspace's");
        assertThat(ids(otherWorkspace.get(INSIGHTS + "?limit=100"))).containsExactly(theirs);
        assertThat(ids(admin.get(INSIGHTS + "?limit=100"))).contains(insight).doesNotContain(theirs);
        assertThat(ids(otherWorkspace.get(INSIGHTS + "?customer_id=cust-ws"))).containsExactly(theirs);
    }

    @Test
    void unknownIdsAreNotFound() {
        for (String path : List.of(INSIGHTS, SEGMENTS)) {
            assertError(admin.get(path + "/NoSuchId00000000"), 404, "NOT_FOUND", "GET unknown");
            String update = path.equals(INSIGHTS) ? "details=x" : "name=x";
            assertError(admin.request("PUT", path + "/NoSuchId00000000", update, FORM), 404, "NOT_FOUND", "PUT unknown");
            assertError(admin.request("DELETE", path + "/NoSuchId00000000", null, null), 404, "NOT_FOUND", "DELETE unknown");
        }
    }

    @Test
    void missingRequiredFieldsAreNamedEachAndEmptyOnesToo() {
        JsonNode insight = assertError(admin.request("POST", INSIGHTS, "customer_id=c1", FORM), 400, "BAD_REQUEST", "insight without type/details");
        assertThat(fields(insight)).containsExactlyInAnyOrder("insight_type", "details");
        JsonNode segment = assertError(admin.request("POST", SEGMENTS, "{\"name\":\"S\",\"criteria\":\"\"}", null), 400, "BAD_REQUEST", "segment");
        assertThat(fields(segment)).containsExactlyInAnyOrder("criteria", "description");
        JsonNode empty = assertError(admin.request("POST", INSIGHTS, "", null), 400, "BAD_REQUEST", "empty body");
        assertThat(fields(empty)).containsExactlyInAnyOrder("customer_id", "insight_type", "details");

        String id = createInsight(admin, "cust-upd", "preference", "before");
        JsonNode blank = assertError(admin.request("PUT", INSIGHTS + "/" + id, "details=", FORM), 400, "BAD_REQUEST", "blank update");
        assertThat(fields(blank)).containsExactly("details");
        assertError(admin.request("PUT", INSIGHTS + "/" + id, "{}", null), 400, "BAD_REQUEST", "nothing to update");
        assertThat(Http.json(admin.get(INSIGHTS + "/" + id)).get("details").asText()).isEqualTo("before");
    }

    @Test
    void malformedJsonUnknownFieldsAndOversizedValuesAreRefused() {
        String id = createSegment(admin, "Bodies", "total_spent > 5", "body checks");
        String insight = createInsight(admin, "cust-bodies", "t", "d");
        for (String[] write : List.of(new String[] {"POST", INSIGHTS}, new String[] {"PUT", INSIGHTS + "/" + insight},
                new String[] {"POST", SEGMENTS}, new String[] {"PUT", SEGMENTS + "/" + id})) {
            JsonNode malformed = assertError(admin.request(write[0], write[1], "{\"details\": \"unterminated", null), 400, "BAD_REQUEST", "malformed");
            assertThat(malformed.get("message").asText()).contains("not valid JSON").contains("line 1");
        }
        JsonNode unknown = assertError(admin.request("POST", INSIGHTS,
                "{\"customer_id\":\"c\",\"insight_type\":\"t\",\"details\":\"d\",\"id\":\"mine\",\"colour\":\"red\"}", null), 400, "BAD_REQUEST", "unknown");
        assertThat(fields(unknown)).containsExactlyInAnyOrder("id", "colour");
        assertError(admin.request("PUT", SEGMENTS + "/" + id, "segment_rules=total_spent+>+1", FORM), 400, "BAD_REQUEST", "Events API field");
        JsonNode array = assertError(admin.request("POST", INSIGHTS, "[1,2]", null), 400, "BAD_REQUEST", "not an object");
        assertThat(array.get("message").asText()).contains("JSON object");
        JsonNode tooLong = assertError(admin.request("POST", SEGMENTS, "name=" + "n".repeat(256) + "&criteria=c&description=d", FORM),
                400, "BAD_REQUEST", "too long");
        assertThat(fields(tooLong)).containsExactly("name");
    }

    @Test
    void listLimitsOutsideOneToAHundredAreRefused() {
        for (String path : List.of(INSIGHTS, SEGMENTS)) {
            for (String limit : List.of("0", "101", "abc", "-1", "")) {
                JsonNode error = assertError(admin.get(path + "?limit=" + limit), 400, "INVALID_PARAMETER", path + " limit=" + limit);
                assertThat(fields(error)).containsExactly("limit");
            }
            assertError(admin.get(path + "?starting_after=NoSuchId00000000"), 400, "INVALID_PARAMETER", "unknown cursor");
            assertError(admin.get(path + "?starting_after=a&ending_before=b"), 400, "INVALID_PARAMETER", "both cursors");
            assertError(admin.get(path + "?colour=red"), 400, "INVALID_PARAMETER", "unknown parameter");
        }
    }

    // ---- lists ----

    @Test
    void twentyFiveSegmentsComeInThreePagesOfTenWithoutGapsOrDuplicates() {
        Http pager = issue("ws-segment-pages", "segments:read", "segments:create");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            created.add(createSegment(pager, "segment " + i, "total_spent > " + i, "page test"));
        }
        assertPagesOfTen(pager, SEGMENTS, created);
        assertThat(ids(pager.get(SEGMENTS + "?name=" + Http.encode("segment 7")))).containsExactly(created.get(7));
        assertThat(ids(pager.get(SEGMENTS + "?criteria=" + Http.encode("total_spent > 7")))).containsExactly(created.get(7));
    }

    @Test
    void twentyFiveInsightsComeInThreePagesOfTenWithoutGapsOrDuplicates() {
        Http pager = issue("ws-pages", "insights:read", "insights:create");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            created.add(createInsight(pager, "cust-" + (i % 3), "type-" + (i % 2), "insight " + i));
        }
        List<String> seen = assertPagesOfTen(pager, INSIGHTS, created);
        JsonNode filtered = Http.json(pager.get(INSIGHTS + "?limit=100&customer_id=cust-1&insight_type=type-0"));
        Set<String> matching = new HashSet<>();
        for (int i = 0; i < 25; i++) {
            if (i % 3 == 1 && i % 2 == 0) {
                matching.add(created.get(i));
            }
        }
        List<String> expected = seen.stream().filter(matching::contains).toList(); // in list order
        List<String> filteredIds = new ArrayList<>();
        filtered.get("data").forEach(d -> filteredIds.add(d.get("id").asText()));
        assertThat(filteredIds).isEqualTo(expected);
    }

    /** Pages through {@code path} ten at a time: 10, 10, 5, has_more true, true, false, every record once, newest first; returns the list order. */
    private static List<String> assertPagesOfTen(Http pager, String path, List<String> created) {
        List<String> seen = new ArrayList<>();
        List<Boolean> hasMore = new ArrayList<>();
        String cursor = null;
        List<List<String>> pages = new ArrayList<>();
        do {
            JsonNode page = Http.json(pager.get(path + "?limit=10" + (cursor == null ? "" : "&starting_after=" + cursor)));
            List<String> ids = new ArrayList<>();
            page.get("data").forEach(d -> ids.add(d.get("id").asText()));
            pages.add(ids);
            seen.addAll(ids);
            hasMore.add(page.get("has_more").asBoolean());
            cursor = ids.isEmpty() ? null : ids.get(ids.size() - 1);
        } while (hasMore.get(hasMore.size() - 1));
        assertThat(pages).extracting(List::size).containsExactly(10, 10, 5);
        assertThat(hasMore).containsExactly(true, true, false);
        assertThat(new HashSet<>(seen)).hasSize(25).containsExactlyInAnyOrderElementsOf(created);
        List<Long> createdAt = new ArrayList<>(); // in list order
        for (String id : seen) {
            createdAt.add(Http.json(pager.get(path + "/" + id)).get("created_at").asLong());
        }
        for (int i = 1; i < seen.size(); i++) {
            long previous = createdAt.get(i - 1);
            long current = createdAt.get(i);
            assertThat(current).as("newest first").isLessThanOrEqualTo(previous);
            if (current == previous) {
                assertThat(seen.get(i)).as("within one second, by id descending").isLessThan(seen.get(i - 1));
            }
        }

        JsonNode back = Http.json(pager.get(path + "?limit=10&ending_before=" + pages.get(2).get(0)));
        List<String> backIds = new ArrayList<>();
        back.get("data").forEach(d -> backIds.add(d.get("id").asText()));
        assertThat(backIds).as("ending_before gives the page before, in list order").isEqualTo(pages.get(1));
        assertThat(back.get("has_more").asBoolean()).as("page 1 is before it").isTrue();
        assertThat(Http.json(pager.get(path)).get("data")).as("default limit").hasSize(10);
        return seen;
    }

    // ---- concurrency ----

    @Test
    void concurrentUpdatesOfOneRecordEndWithTheLastAcknowledgedWriteEverywhere() throws Exception {
        String id = createInsight(admin, "cust-race", "initial", "initial");
        int clients = 8;
        int writesEach = 5;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                results.add(pool.submit(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    for (int w = 0; w < writesEach; w++) {
                        // half the clients change details, half the type: partial updates must not lose each other
                        String body = client % 2 == 0 ? "details=client-" + client + "-write-" + w : "insight_type=type-" + client + "-" + w;
                        statuses.add(admin.request("PUT", INSIGHTS + "/" + id, body, FORM).statusCode());
                    }
                    return statuses;
                }));
            }
            for (Future<List<Integer>> f : results) {
                assertThat(f.get()).containsOnly(200);
            }
        } finally {
            pool.shutdownNow();
        }
        JsonNode api = Http.json(admin.get(INSIGHTS + "/" + id));
        HttpSchemaRegistryClient registry = HttpSchemaRegistryClient.builder(
                "http://127.0.0.1:" + running.node().httpPort() + TributaryNode.REGISTRY_PATH).bearerToken(TestNodes.ADMIN_TOKEN).build();
        List<ConsumerRecord<String, CustomerInsight>> records = TopicContents.readAll(running.node().kafkaBootstrap(),
                Topics.CUSTOMER_INSIGHTS, AvroDeserializer.specific(registry, CustomerInsight.class));
        List<CustomerInsight> versions = records.stream().filter(r -> r.key().equals(Topics.key(TokenStore.DEFAULT_WORKSPACE, id)))
                .map(ConsumerRecord::value).toList();
        assertThat(versions).hasSize(1 + clients * writesEach);
        CustomerInsight last = versions.get(versions.size() - 1);
        assertThat(api.get("details").asText()).as("the API shows the last write in Kafka order").isEqualTo(last.getDetails().toString());
        assertThat(api.get("insight_type").asText()).isEqualTo(last.getInsightType().toString());
        assertThat(api.get("details").asText()).matches("client-\\d-write-4");
        assertThat(api.get("insight_type").asText()).as("no partial update was lost to a concurrent one").matches("type-\\d-4");
        JsonNode listed = Http.json(admin.get(INSIGHTS + "?customer_id=cust-race"));
        assertThat(listed.get("data").get(0)).as("and so does the list").isEqualTo(api);
    }

    // ---- segments are one entity with the Events API's ----

    @Test
    void segmentCriteriaThatParseAreEvaluatedLiveAndEventsApiSegmentsAreTheSameEntities() throws Exception {
        String rule = createSegment(admin, "Big Spenders", "total_spent > 100", "spent over 100");
        assertThat(Http.json(admin.get(SEGMENTS + "/" + rule)).get("criteria_type").asText()).isEqualTo("rule");
        post("customer_events", "{\"event_id\":\"finx-1\",\"customer_id\":\"rich\",\"event_type\":\"purchase\","
                + "\"event_timestamp\":\"2023-06-15 10:00:00\",\"price\":150,\"quantity\":1}");
        post("customer_events", "{\"event_id\":\"finx-2\",\"customer_id\":\"poor\",\"event_type\":\"purchase\","
                + "\"event_timestamp\":\"2023-06-15 10:00:00\",\"price\":50,\"quantity\":1}");
        Await.until("rich to enter Big Spenders", () -> members("Big Spenders").equals(Set.of("rich")));

        HttpResponse<String> retext = admin.request("PUT", SEGMENTS + "/" + rule, "criteria=people+we+like", FORM);
        assertThat(Http.json(retext).get("criteria_type").asText()).isEqualTo("text");
        Await.until("rich to leave: text criteria select nobody", () -> members("Big Spenders").isEmpty());

        post("customer_segments", "{\"segment_id\":\"seg-events-api\",\"segment_name\":\"From Events\",\"segment_rules\":\"events.purchase >= 1\"}");
        JsonNode shared = Http.json(admin.get(SEGMENTS + "/seg-events-api"));
        assertThat(shared.get("name").asText()).isEqualTo("From Events");
        assertThat(shared.get("criteria").asText()).isEqualTo("events.purchase >= 1");
        assertThat(shared.get("criteria_type").asText()).isEqualTo("rule");
        assertThat(ids(admin.get(SEGMENTS + "?limit=100&name=From+Events"))).containsExactly("seg-events-api");
        assertThat(ids(admin.get(SEGMENTS + "?limit=100&criteria=" + Http.encode("events.purchase >= 1")))).containsExactly("seg-events-api");
        Await.until("both buyers in the Events API's segment", () -> members("From Events").equals(Set.of("rich", "poor")));

        HttpResponse<String> renamed = admin.request("PUT", SEGMENTS + "/seg-events-api", "{\"name\":\"Buyers\"}", null);
        assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
        assertThat(Http.json(renamed).get("criteria").asText()).as("the rule survives a rename").isEqualTo("events.purchase >= 1");
        assertThat(Http.json(renamed).get("created_at")).isEqualTo(shared.get("created_at"));
        Await.until("the members follow the rename", () -> members("Buyers").equals(Set.of("rich", "poor")));

        assertThat(admin.request("DELETE", SEGMENTS + "/seg-events-api", null, null).statusCode()).isEqualTo(204);
        assertThat(segmentMetricsNames()).as("a deleted segment leaves segment_metrics at once").doesNotContain("Buyers").contains("Big Spenders");
        Await.until("members of the deleted segment exit", () -> members("Buyers").isEmpty());
    }

    private void post(String datasource, String row) {
        HttpResponse<String> r = admin.post("/v0/events?name=" + datasource + "&wait=true", row);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private Set<String> members(String segmentName) {
        HttpResponse<String> r = admin.get("/v0/pipes/segment_customers.json?segment_name=" + Http.encode(segmentName));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Set<String> out = new HashSet<>();
        Http.json(r).get("data").forEach(row -> out.add(row.get("customer_id").asText()));
        return out;
    }

    private Set<String> segmentMetricsNames() {
        Set<String> out = new HashSet<>();
        Http.json(admin.get("/v0/pipes/segment_metrics.json")).get("data").forEach(row -> out.add(row.get("segment_name").asText()));
        return out;
    }

    // ---- helpers ----

    /** One route of the two resources, ready to send with any client. */
    private record Route(String method, String path, String body) {
        HttpResponse<String> send(Http http) {
            return http.request(method, path, body, body == null ? null : FORM);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static List<Route> routes(String insight, String segment) {
        return List.of(
                new Route("GET", INSIGHTS, null),
                new Route("POST", INSIGHTS, "customer_id=c&insight_type=t&details=d"),
                new Route("GET", INSIGHTS + "/" + insight, null),
                new Route("PUT", INSIGHTS + "/" + insight, "details=changed"),
                new Route("DELETE", INSIGHTS + "/" + insight, null),
                new Route("GET", SEGMENTS, null),
                new Route("POST", SEGMENTS, "name=n&criteria=c&description=d"),
                new Route("GET", SEGMENTS + "/" + segment, null),
                new Route("PUT", SEGMENTS + "/" + segment, "description=changed"),
                new Route("DELETE", SEGMENTS + "/" + segment, null));
    }

    private static String createInsight(Http http, String customer, String type, String details) {
        HttpResponse<String> r = http.request("POST", INSIGHTS, "customer_id=" + Http.encode(customer) + "&insight_type=" + Http.encode(type)
                + "&details=" + Http.encode(details), FORM);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.headers().firstValue("Warning")).as("the store applied it within the wait").isEmpty();
        return Http.json(r).get("id").asText();
    }

    private static String createSegment(Http http, String name, String criteria, String description) {
        HttpResponse<String> r = http.request("POST", SEGMENTS, "{\"name\":" + quote(name) + ",\"criteria\":" + quote(criteria)
                + ",\"description\":" + quote(description) + "}", "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Http.json(r).get("id").asText();
    }
}
