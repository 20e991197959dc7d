package io.tributary.deploy;

import static io.tributary.deploy.ApiAssertions.assertError;
import static io.tributary.deploy.ApiAssertions.fields;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.platform.config.Setting;
import io.tributary.platform.testing.TestFiles;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 8: a client's retry of a POST with the same Idempotency-Key gets the first answer again and
 * writes nothing, on every POST write route of the gateway (Events API, insights, segments,
 * customers, upload), against a real all-in-one node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IdempotencyKeyIT {
    static final String KEY = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";
    static final String OTHER_WS = "ws-idem-b";
    static final String UNSCORED_WS = "ws-idem-c";
    static final Map<Setting, String> SETTINGS = Map.of(Setting.WAIT_TIMEOUT_MS, "6000");

    Path dataDir;
    TributaryNode node;
    Http admin;
    String otherAdmin;
    String uploadKey;
    /** The insight of the first test, replayed again after the restart. */
    String insightKey;
    HttpResponse<String> insightAnswer;

    @BeforeAll
    void start() throws Exception {
        dataDir = Files.createTempDirectory("tributary-idempotency-");
        node = TestNodes.start(dataDir, SETTINGS);
        admin = new Http(node.httpPort(), TestNodes.ADMIN_TOKEN);
        for (String ws : List.of("default", OTHER_WS)) {
            ok(admin.request("PUT", "/v0/workspaces/" + ws + "/entitlements/revenue-tracking", null, null));
        }
        otherAdmin = issue(OTHER_WS, "admin");
        ok(admin.request("PUT", "/api/v1/metrics/logins", "{\"type\":\"number\"}", "application/json"));
        ok(admin.request("PUT", "/api/v1/scoring", scoring(), "application/json"));
        uploadKey = issue("default", "customers:upload");
    }

    @AfterAll
    void stop() {
        if (node != null) {
            node.close();
        }
        if (dataDir != null) {
            TestFiles.deleteRecursively(dataDir);
        }
    }

    @Test
    @Order(1)
    void aRetryOfEveryPostRouteGetsTheFirstAnswerAndWritesNothing() {
        double acceptedBefore = acceptedEvents();
        String event = "{\"event_id\":\"idem-ev-1\",\"customer_id\":\"idem-cust\",\"event_type\":\"page_view\",\"event_timestamp\":\"2024-01-02 03:04:05\"}";
        assertReplayed(() -> post(TestNodes.ADMIN_TOKEN, "/v0/events?name=customer_events", event, "ev-1"), 202);
        assertThat(acceptedEvents() - acceptedBefore).as("one row accepted, not two").isEqualTo(1.0);

        insightKey = "insight-1";
        String insight = "{\"customer_id\":\"idem-cust\",\"insight_type\":\"idem\",\"details\":\"created once\"}";
        insightAnswer = assertReplayed(() -> post(TestNodes.ADMIN_TOKEN, "/v1/customer-insights", insight, insightKey), 201);
        assertThat(ApiAssertions.ids(admin.get("/v1/customer-insights?customer_id=idem-cust&insight_type=idem")))
                .containsExactly(Http.json(insightAnswer).get("id").asText());

        String segment = "{\"name\":\"Idem segment\",\"criteria\":\"total_spent > 7\",\"description\":\"created once\"}";
        HttpResponse<String> segmentAnswer = assertReplayed(() -> post(TestNodes.ADMIN_TOKEN, "/v1/customer-segments", segment, "segment-1"), 201);
        assertThat(ApiAssertions.ids(admin.get("/v1/customer-segments?name=Idem%20segment")))
                .containsExactly(Http.json(segmentAnswer).get("id").asText());

        // processed twice, the second POST would be an update: 200, not 201
        String customer = "{\"externalId\":\"idem-ext-1\",\"name\":\"Ada\"}";
        assertReplayed(() -> post(TestNodes.ADMIN_TOKEN, "/customers", customer, "customer-1"), 201);
        assertThat(Http.json(admin.get("/customers?search=idem-ext-1")).get("total").asInt()).isEqualTo(1);

        // processed twice, the upload would get a second upload_id
        String upload = "{\"customers\":[{\"external_id\":\"idem-up-1\",\"name\":\"Up\",\"metrics\":[{\"date\":\"2024-01-01\",\"logins\":3}]}]}";
        HttpResponse<String> uploaded = assertReplayed(() -> upload(uploadKey, upload, "upload-1"), 200);
        assertThat(Http.json(uploaded).get("upload_id").asText()).startsWith("upl_");
    }

    @Test
    @Order(2)
    void theSameKeyForAnotherRequestIs422NamingTheHeader() {
        String first = "{\"customer_id\":\"idem-cust\",\"insight_type\":\"reuse\",\"details\":\"first\"}";
        ok(post(TestNodes.ADMIN_TOKEN, "/v1/customer-insights", first, "reused"));
        JsonNode otherBody = assertError(post(TestNodes.ADMIN_TOKEN, "/v1/customer-insights",
                "{\"customer_id\":\"idem-cust\",\"insight_type\":\"reuse\",\"details\":\"second\"}", "reused"), 422, "IDEMPOTENCY_KEY_REUSED", "body");
        assertThat(fields(otherBody)).containsExactly(KEY);
        assertThat(otherBody.get("message").asText()).contains(KEY).contains("body");
        JsonNode otherRoute = assertError(post(TestNodes.ADMIN_TOKEN, "/v1/customer-segments", first, "reused"), 422,
                "IDEMPOTENCY_KEY_REUSED", "route");
        assertThat(otherRoute.get("message").asText()).contains("route (first POST /v1/customer-insights)");
        JsonNode otherQuery = assertError(post(TestNodes.ADMIN_TOKEN, "/v1/customer-insights?x=1", first, "reused"), 422,
                "IDEMPOTENCY_KEY_REUSED", "query");
        assertThat(otherQuery.get("message").asText()).contains("query string");
        assertThat(ApiAssertions.ids(admin.get("/v1/customer-insights?insight_type=reuse"))).hasSize(1);
        assertThat(post(TestNodes.ADMIN_TOKEN, "/v1/customer-insights", first, "reused").headers().firstValue(REPLAYED))
                .as("the first request's retry still replays").contains("true");
    }

    @Test
    @Order(3)
    void aBadRequestIsRecordedAndReplayedToo() {
        String missing = "{\"customer_id\":\"idem-cust\",\"insight_type\":\"bad\"}";
        HttpResponse<String> first = post(TestNodes.ADMIN_TOKEN, "/v1/customer-insights", missing, "bad-1");
        assertError(first, 400, "BAD_REQUEST", "missing details");
        HttpResponse<String> retry = post(TestNodes.ADMIN_TOKEN, "/v1/customer-insights", missing, "bad-1");
        assertThat(retry.statusCode()).isEqualTo(400);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.headers().firstValue(REPLAYED)).contains("true");
        // the key stays bound to the bad request: a corrected body needs a new key
        assertError(post(TestNodes.ADMIN_TOKEN, "/v1/customer-insights", missing.replace("}", ",\"details\":\"d\"}"), "bad-1"), 422,
                "IDEMPOTENCY_KEY_REUSED", "corrected body, same key");
    }

    @Test
    @Order(4)
    void answersWhoseCauseCanChangeAreNotRecorded() {
        String insight = "{\"customer_id\":\"idem-cust\",\"insight_type\":\"forbidden-first\",\"details\":\"d\"}";
        String reader = issue("default", "insights:read");
        assertThat(post(reader, "/v1/customer-insights", insight, "scope-1").statusCode()).isEqualTo(403);
        HttpResponse<String> allowed = post(TestNodes.ADMIN_TOKEN, "/v1/customer-insights", insight, "scope-1");
        assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(201);
        assertThat(allowed.headers().firstValue(REPLAYED)).as("the 403 was not recorded").isEmpty();

        String unscoredKey = issue(UNSCORED_WS, "customers:upload", "admin");
        String upload = "{\"customers\":[{\"external_id\":\"idem-up-2\",\"name\":\"Up\",\"metrics\":[{\"date\":\"2024-01-01\",\"logins\":1}]}]}";
        assertError(upload(unscoredKey, upload, "upload-490"), 490, "UNCONFIGURED_SCORING", "no scoring yet");
        Http unscoredAdmin = admin.withToken(unscoredKey);
        ok(unscoredAdmin.request("PUT", "/api/v1/metrics/logins", "{\"type\":\"number\"}", "application/json"));
        ok(unscoredAdmin.request("PUT", "/api/v1/scoring", scoring(), "application/json"));
        HttpResponse<String> configured = upload(unscoredKey, upload, "upload-490");
        assertThat(configured.statusCode()).as("the 490 was not recorded: " + configured.body()).isEqualTo(200);
        assertThat(configured.headers().firstValue(REPLAYED)).isEmpty();
        assertThat(upload(unscoredKey, upload, "upload-490").body()).as("the 200 is").isEqualTo(configured.body());
    }

    @Test
    @Order(5)
    void anotherWorkspacesEqualKeyIsItsOwn() {
        String insight = "{\"customer_id\":\"idem-cust\",\"insight_type\":\"idem\",\"details\":\"created once\"}";
        HttpResponse<String> other = post(otherAdmin, "/v1/customer-insights", insight, insightKey);
        assertThat(other.statusCode()).as(other.body()).isEqualTo(201);
        assertThat(other.headers().firstValue(REPLAYED)).isEmpty();
        assertThat(Http.json(other).get("id").asText()).isNotEqualTo(Http.json(insightAnswer).get("id").asText());
        // and the upload's customerscore-key scopes by its own workspace the same way
        HttpResponse<String> otherUpload = upload(issue(UNSCORED_WS, "customers:upload"),
                "{\"customers\":[{\"external_id\":\"idem-up-1\",\"name\":\"Up\",\"metrics\":[{\"date\":\"2024-01-01\",\"logins\":3}]}]}", "upload-1");
        assertThat(otherUpload.statusCode()).as(otherUpload.body()).isEqualTo(200);
        assertThat(otherUpload.headers().firstValue(REPLAYED)).isEmpty();
    }

    @Test
    @Order(6)
    void aKeyMustBe1To255PrintableAsciiCharacters() {
        String insight = "{\"customer_id\":\"idem-cust\",\"insight_type\":\"long-key\",\"details\":\"d\"}";
        JsonNode error = assertError(post(TestNodes.ADMIN_TOKEN, "/v1/customer-insights", insight, "k".repeat(256)), 400, "BAD_REQUEST",
                "256 characters");
        assertThat(fields(error)).containsExactly(KEY);
        assertThat(ApiAssertions.ids(admin.get("/v1/customer-insights?insight_type=long-key"))).isEmpty();
        assertThat(post(TestNodes.ADMIN_TOKEN, "/v1/customer-insights", insight, "k".repeat(255)).statusCode()).isEqualTo(201);
    }

    /** Runs before the 409 test: a restart right after its startProcessors raced the new streams for their state directory. */
    @Test
    @Order(7)
    void aRecordedAnswerSurvivesARestart() {
        node.close();
        node = TestNodes.start(dataDir, SETTINGS);
        admin = new Http(node.httpPort(), TestNodes.ADMIN_TOKEN);
        String insight = "{\"customer_id\":\"idem-cust\",\"insight_type\":\"idem\",\"details\":\"created once\"}";
        HttpResponse<String> retry = post(TestNodes.ADMIN_TOKEN, "/v1/customer-insights", insight, insightKey);
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(insightAnswer.body());
        assertThat(retry.headers().firstValue(REPLAYED)).contains("true");
    }

    @Test
    @Order(8)
    void aRetryWhileTheFirstIsStillRunningIs409WithRetryAfter() throws Exception {
        // with the sinks stopped, wait=true holds the first request until the wait timeout (6 s)
        node.stopProcessors();
        try {
            String event = "{\"event_id\":\"idem-ev-2\",\"customer_id\":\"idem-cust\",\"event_type\":\"page_view\",\"event_timestamp\":\"2024-01-02 03:04:05\"}";
            String path = "/v0/events?name=customer_events&wait=true";
            double accepted = acceptedEvents();
            CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> post(TestNodes.ADMIN_TOKEN, path, event, "slow-1"));
            // its row acknowledged: it holds the key and waits for the sink
            Await.until("the first request's row to be acknowledged", () -> acceptedEvents() > accepted);
            assertThat(first).as("still waiting for the sink").isNotDone();
            HttpResponse<String> meanwhile = post(TestNodes.ADMIN_TOKEN, path, event, "slow-1");
            JsonNode error = assertError(meanwhile, 409, "IDEMPOTENCY_KEY_IN_USE", "in flight");
            assertThat(fields(error)).containsExactly(KEY);
            assertThat(meanwhile.headers().firstValue("Retry-After")).contains("1");
            HttpResponse<String> answered = first.get();
            assertThat(answered.statusCode()).as(answered.body()).isEqualTo(202);
            HttpResponse<String> after = post(TestNodes.ADMIN_TOKEN, path, event, "slow-1");
            assertThat(after.statusCode()).isEqualTo(202);
            assertThat(after.body()).isEqualTo(answered.body());
            assertThat(after.headers().firstValue(REPLAYED)).contains("true");
        } finally {
            node.startProcessors();
        }
    }

    /** Sends the request twice with one key: the second answer is the first, byte for byte, marked as replayed. */
    private static HttpResponse<String> assertReplayed(Supplier<HttpResponse<String>> send, int status) {
        HttpResponse<String> first = send.get();
        assertThat(first.statusCode()).as(first.body()).isEqualTo(status);
        assertThat(first.headers().firstValue(REPLAYED)).isEmpty();
        HttpResponse<String> retry = send.get();
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(status);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.headers().firstValue(REPLAYED)).contains("true");
        for (String header : List.of("Content-Type", "Location")) {
            assertThat(retry.headers().firstValue(header)).as(header).isEqualTo(first.headers().firstValue(header));
        }
        assertThat(retry.headers().firstValue("X-Request-Id")).as("each answer has its own request id")
                .isNotEqualTo(first.headers().firstValue("X-Request-Id"));
        return first;
    }

    private HttpResponse<String> post(String token, String path, String body, String key) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + token);
        headers.put("Content-Type", "application/json");
        headers.put(KEY, key);
        return admin.requestWithHeaders("POST", path, body, headers);
    }

    private HttpResponse<String> upload(String customerscoreKey, String body, String key) {
        return admin.requestWithHeaders("POST", "/api/v1/customers", body,
                Map.of("customerscore-key", customerscoreKey, "Content-Type", "application/json", KEY, key));
    }

    /** A new token of {@code workspace}, issued by the operator through the node. */
    private String issue(String workspace, String... scopes) {
        String body = Http.JSON.createObjectNode().put("name", "idem").put("workspace_id", workspace)
                .set("scopes", Http.JSON.valueToTree(List.of(scopes))).toString();
        return Http.json(ok(admin.request("POST", "/v0/tokens", body, "application/json"))).get("token").asText();
    }

    private double acceptedEvents() {
        return admin.get("/metrics").body().lines()
                .filter(l -> l.startsWith("tributary_ingest_rows_total{") && l.contains("datasource=\"customer_events\"")
                        && l.contains("result=\"accepted\""))
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0.0);
    }

    private static String scoring() {
        return "{\"components\":[{\"source\":\"metric\",\"codename\":\"logins\",\"normalisation\":\"thresholds\",\"thresholds\":[0,10]}]}";
    }

    private static HttpResponse<String> ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
        return r;
    }
}
