package io.tributary.query.pipes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.platform.auth.Authenticator;
import io.tributary.platform.auth.Principal;
import io.tributary.platform.auth.RequestAuth;
import io.tributary.platform.auth.Scope;
import io.tributary.platform.http.HttpServer;
import io.tributary.platform.http.Json;
import io.tributary.platform.store.QueryParam;
import io.tributary.platform.store.StoreDialect;
import io.tributary.platform.store.StoreQueryException;
import io.tributary.platform.store.StoreUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PipeRoutesTest {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final Map<String, Principal> TOKENS = Map.of(
            "admin-token", new Principal("ws-1", "t-admin", Set.of(Scope.ADMIN)),
            "activity-token", new Principal("ws-2", "t-activity", Set.of(Scope.pipesRead("customer_activity"))),
            "other-pipe-token", new Principal("ws-2", "t-other", Set.of(Scope.pipesRead("segment_metrics"))),
            "events-token", new Principal("ws-2", "t-events", Set.of(Scope.eventsAppend("customer_events"))));

    private final HttpClient http = HttpClient.newHttpClient();
    private FakeAnalyticsStore store;
    private PrometheusMeterRegistry metrics;
    private HttpServer server;

    @BeforeEach
    void start() {
        store = new FakeAnalyticsStore(StoreDialect.DUCKDB, PipeFixtures.events(3));
        metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Authenticator authenticator = token -> Optional.ofNullable(TOKENS.get(token));
        PipeEngine engine = new PipeEngine(PipeCatalog.fromClasspath(getClass().getClassLoader()), store);
        server = HttpServer.start("127.0.0.1", 0, 1 << 20, metrics, List.of(),
                List.of(new PipeRoutes(engine, new RequestAuth(authenticator), metrics)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void answersTinybirdsJsonShape() throws Exception {
        HttpResponse<String> response = get("/v0/pipes/customer_activity.json?customer_id=cust-789&limit=2", "admin-token");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.fieldNames()).toIterable()
                .containsExactly("meta", "data", "rows", "rows_before_limit_at_least", "statistics");
        assertThat(body.get("meta")).hasSize(15);
        assertThat(body.get("meta").get(3).toString()).isEqualTo("{\"name\":\"event_timestamp\",\"type\":\"DateTime\"}");
        assertThat(body.get("data")).hasSize(2);
        assertThat(body.get("data").get(0).toString()).isEqualTo("{\"event_id\":\"ev-1\",\"customer_id\":\"cust-789\","
                + "\"event_type\":\"purchase\",\"event_timestamp\":\"2023-06-15 14:29:45\",\"session_id\":\"sess-456\","
                + "\"page_url\":\"https://example.com/product/123\",\"product_id\":\"prod-123\",\"category_id\":\"cat-456\","
                + "\"price\":49.99,\"quantity\":1,\"device_type\":\"mobile\",\"country\":\"US\",\"referrer\":\"google.com\","
                + "\"user_agent\":\"Mozilla/5.0 (iPhone; CPU iPhone OS 13_2_3 like Mac OS X)\","
                + "\"ingested_at\":\"2023-06-15 14:30:46\"}");
        assertThat(body.get("rows").asLong()).isEqualTo(2);
        assertThat(body.get("rows_before_limit_at_least").asLong()).isEqualTo(3);
        assertThat(body.get("statistics").get("elapsed").isNumber()).isTrue();
        assertThat(body.get("statistics").get("rows_read").asLong()).isEqualTo(1234);
        assertThat(body.get("statistics").get("bytes_read").asLong()).isEqualTo(56789);
        assertThat(store.lastQuery().params()).containsExactly(QueryParam.string("cust-789"), QueryParam.string("ws-1"),
                QueryParam.int64(3));
    }

    @Test
    void answersCsvAndNdjson() throws Exception {
        HttpResponse<String> csv = get("/v0/pipes/customer_activity.csv?customer_id=cust-789&limit=1", "admin-token");
        HttpResponse<String> ndjson = get("/v0/pipes/customer_activity.ndjson?customer_id=cust-789&limit=2", "admin-token");

        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(csv.body().split("\n")).hasSize(2);
        assertThat(csv.body()).startsWith("\"event_id\",\"customer_id\",\"event_type\",\"event_timestamp\",")
                .contains("\n\"ev-1\",\"cust-789\",\"purchase\",\"2023-06-15 14:29:45\",");
        assertThat(ndjson.statusCode()).isEqualTo(200);
        assertThat(ndjson.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/x-ndjson"));
        assertThat(ndjson.body().split("\n")).hasSize(2).allSatisfy(line -> assertThat(JSON.readTree(line).get("event_id")).isNotNull());
    }

    @Test
    void aMissingRequiredParameterIs400NamingIt() throws Exception {
        HttpResponse<String> response = get("/v0/pipes/customer_activity.json?event_type=page_view", "admin-token");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("INVALID_PARAMETER");
        assertThat(error.get("message").asText()).isEqualTo("parameter 'customer_id' is required (a String)");
        assertThat(error.get("details").get(0).get("field").asText()).isEqualTo("customer_id");
        assertThat(store.queries()).isEmpty();
    }

    @Test
    void aMalformedDateIs400NamingTheParameterAndFormat() throws Exception {
        HttpResponse<String> response = get("/v0/pipes/customer_activity.json?customer_id=c&start_date=" + encode("June 1st"), "admin-token");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("error").get("message").asText())
                .startsWith("parameter 'start_date' must be a DateTime as YYYY-MM-DD HH:MM:SS");
    }

    @Test
    void anUnknownParameterIs400ListingTheAcceptedOnes() throws Exception {
        HttpResponse<String> response = get("/v0/pipes/customer_activity.json?customer_id=c&q=1", "admin-token");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("error").get("message").asText())
                .isEqualTo("parameter 'q' is not a parameter of pipe customer_activity; accepted: "
                        + "customer_id, event_type, start_date, end_date, limit (and token)");
    }

    @Test
    void aMissingOrUnknownTokenIs401() throws Exception {
        HttpResponse<String> missing = get("/v0/pipes/customer_activity.json?customer_id=c", null);
        HttpResponse<String> wrong = get("/v0/pipes/customer_activity.json?customer_id=c", "no-such-token");
        HttpResponse<String> wrongQueryToken = get("/v0/pipes/customer_activity.json?customer_id=c&token=no-such-token", null);

        assertThat(List.of(missing.statusCode(), wrong.statusCode(), wrongQueryToken.statusCode())).containsOnly(401);
        assertThat(JSON.readTree(missing.body()).get("error").get("code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(store.queries()).isEmpty();
    }

    @Test
    void aTokenWithoutReadScopeForThePipeIs403() throws Exception {
        HttpResponse<String> otherPipe = get("/v0/pipes/customer_activity.json?customer_id=c", "other-pipe-token");
        HttpResponse<String> otherAction = get("/v0/pipes/customer_activity.json?customer_id=c", "events-token");

        assertThat(otherPipe.statusCode()).isEqualTo(403);
        assertThat(otherAction.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(otherPipe.body()).get("error").get("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(store.queries()).isEmpty();
    }

    @Test
    void acceptsTheTokenAsAQueryParameterAsTinybirdDoes() throws Exception {
        HttpResponse<String> response = get("/v0/pipes/customer_activity.json?customer_id=c&token=activity-token", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(store.lastQuery().params()).contains(QueryParam.string("ws-2")).doesNotContain(QueryParam.string("ws-1"));
    }

    @Test
    void anUnknownPipeIs404() throws Exception {
        HttpResponse<String> response = get("/v0/pipes/no_such_pipe.json", "admin-token");

        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(error.get("message").asText()).isEqualTo("no pipe named 'no_such_pipe'");
    }

    @Test
    void anUnknownFormatIs404NamingTheFormats() throws Exception {
        HttpResponse<String> response = get("/v0/pipes/customer_activity.xml?customer_id=c", "admin-token");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).get("error").get("message").asText())
                .isEqualTo("unknown format 'xml': pipes answer as .json, .csv, .ndjson");
    }

    @Test
    void anUnavailableStoreIs503WithRetryAfter() throws Exception {
        store.answerWith(q -> {
            throw new StoreUnavailableException("Connection refused: localhost/127.0.0.1:8123", null);
        });

        HttpResponse<String> response = get("/v0/pipes/customer_activity.json?customer_id=c", "admin-token");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("5");
        assertThat(JSON.readTree(response.body()).get("error").get("code").asText()).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(response.body()).doesNotContain("8123");
    }

    @Test
    void aFailingQueryIs500AnalyticsErrorWithoutInternals() throws Exception {
        store.answerWith(q -> {
            throw new StoreQueryException("Code: 47. DB::Exception: Unknown identifier: secret_column in SELECT FROM customer_events",
                    null);
        });

        HttpResponse<String> response = get("/v0/pipes/customer_activity.json?customer_id=c", "admin-token");

        assertThat(response.statusCode()).isEqualTo(500);
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("ANALYTICS_ERROR");
        String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(error.get("message").asText()).isEqualTo("the analytics query failed; quote request id " + requestId + " when reporting it");
        assertThat(response.body()).doesNotContain("secret_column").doesNotContain("DB::Exception").doesNotContain("SELECT");
    }

    @Test
    void anInjectionAttemptIsBoundAsAValueNeverInlined() throws Exception {
        String injection = "x' OR '1'='1";

        HttpResponse<String> response = get("/v0/pipes/customer_activity.json?customer_id=" + encode(injection)
                + "&event_type=" + encode("a'; DROP TABLE customer_events; --"), "admin-token");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(store.lastQuery().sql()).doesNotContain("'1'='1").doesNotContain("DROP").contains("customer_id = ?");
        assertThat(store.lastQuery().params()).containsExactly(QueryParam.string(injection), QueryParam.string("ws-1"),
                QueryParam.string("a'; DROP TABLE customer_events; --"), QueryParam.int64(101));
    }

    @Test
    void listsThePipesTheTokenMayRead() throws Exception {
        HttpResponse<String> admin = get("/v0/pipes", "admin-token");
        HttpResponse<String> otherPipe = get("/v0/pipes?token=other-pipe-token", null);

        assertThat(admin.statusCode()).isEqualTo(200);
        JsonNode activity = JSON.readTree(admin.body()).get("pipes").get(0);
        assertThat(activity.get("name").asText()).isEqualTo("customer_activity");
        assertThat(activity.get("description").asText()).isEqualTo("Retrieves event activity for a specific customer with filtering options.");
        assertThat(activity.get("endpoints").get("json").asText()).isEqualTo("/v0/pipes/customer_activity.json");
        assertThat(activity.get("params").get(0).toString()).isEqualTo(
                "{\"name\":\"customer_id\",\"type\":\"String\",\"required\":true,\"description\":\"Customer ID to retrieve activity for\"}");
        assertThat(activity.get("params").get(4).toString()).isEqualTo("{\"name\":\"limit\",\"type\":\"Int32\",\"required\":false,"
                + "\"default\":\"100\",\"min\":1,\"max\":100000,\"description\":\"Maximum number of results to return (default: 100)\"}");
        assertThat(JSON.readTree(admin.body()).get("pipes")).extracting(p -> p.get("name").asText()).containsExactly(
                "customer_activity", "customer_behavioral_analysis", "customer_health", "customer_metric_history", "customer_purchase_history",
                "customer_segmentation_suggestions", "segment_customers", "segment_metrics");
        // a token for one pipe lists only that pipe
        assertThat(JSON.readTree(otherPipe.body()).get("pipes")).extracting(p -> p.get("name").asText())
                .containsExactly("segment_metrics");
        assertThat(get("/v0/pipes", null).statusCode()).isEqualTo(401);
    }

    @Test
    void describesOnePipeWithoutAFormatSuffix() throws Exception {
        HttpResponse<String> response = get("/v0/pipes/customer_activity", "activity-token");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("params")).hasSize(5);
        assertThat(get("/v0/pipes/customer_activity", "other-pipe-token").statusCode()).isEqualTo(403);
    }

    @Test
    void timesPipeRequestsByPipeFormatAndOutcome() throws Exception {
        get("/v0/pipes/customer_activity.csv?customer_id=c", "admin-token");
        get("/v0/pipes/customer_activity.json?limit=0", "admin-token");
        get("/v0/pipes/unknown_pipe.json", "admin-token");

        String scrape = metrics.scrape();
        assertThat(scrape).contains("tributary_pipe_requests_seconds_count{format=\"csv\",outcome=\"success\",pipe=\"customer_activity\"} 1");
        assertThat(scrape).contains(
                "tributary_pipe_requests_seconds_count{format=\"json\",outcome=\"invalid_request\",pipe=\"customer_activity\"} 1");
        assertThat(scrape).doesNotContain("unknown_pipe");
    }

    private HttpResponse<String> get(String pathAndQuery, String bearerToken) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery)).GET();
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
