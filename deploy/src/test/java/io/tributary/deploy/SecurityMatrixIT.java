package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.tributary.platform.auth.TokenStore;
import io.tributary.platform.config.Setting;
import io.tributary.schemas.Topics;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 8 item 4: every route the running node mounts (read from its Javalin router, so a new route
 * cannot escape) × {no token, malformed, revoked, other workspace, missing scope, right scope},
 * with the status each must get; tokens hashed at rest and never logged.
 */
class SecurityMatrixIT {
    static final String WS = "ws-sec-a";
    static final String OTHER = "ws-sec-b";
    static final String SCRATCH_WS = "ws-sec-scratch";
    /** Text only workspace A's data holds: no answer to another workspace's token may contain it. */
    static final List<String> MARKERS = List.of("SECRET-A", "secret_a_metric", "secret-a-ext", "owner@secret-a.example");
    static final String KEY = "customerscore-key";
    static final List<String> CASES = List.of("no token", "malformed", "revoked", "other ws", "missing scope", "right scope");

    /** How a route authenticates. */
    enum Kind {
        /** no token needed */
        PUBLIC,
        /** Bearer token with a scope */
        TOKEN,
        /** the operator (node admin) token only */
        OPERATOR,
        /** any valid token, whatever its scopes; the data is global (the schema registry) */
        ANY_TOKEN,
        /** any valid token; the answer lists only what its scopes allow (no scope: an empty list) */
        FILTERED,
        /** seed 004's upload: customerscore-key header (401 without it, 403 for an invalid key) */
        UPLOAD_KEY,
        /** answers 405 to every caller (methods other than POST on the upload path) */
        METHOD_NOT_ALLOWED
    }

    /**
     * A route's expectations: its kind, its scope, a sample path (path params filled), a body, and
     * whether the other workspace's token must get 404 (the path names one of A's records) or
     * 403/404 (the path names workspace A itself).
     */
    record Spec(Kind kind, String scope, String samplePath, String body, Set<Integer> otherWorkspace) {
    }

    static NodeWithTokens running;
    static final List<String> secrets = new ArrayList<>();
    static ListAppender<ILoggingEvent> logs;
    static Map<String, String> ids = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        secrets.add(TestNodes.ADMIN_TOKEN);
        running = NodeWithTokens.start("tributary-security-", Map.of());
        Http operator = running.operator();
        for (String ws : List.of(WS, OTHER)) {
            assertThat(operator.request("PUT", "/v0/workspaces/" + ws + "/entitlements/revenue-tracking", null, null).statusCode()).isEqualTo(200);
        }
        Http admin = token(WS, "admin");
        ids.put("insight", Http.json(ok(admin.request("POST", "/v1/customer-insights",
                "{\"customer_id\":\"sec-cust\",\"insight_type\":\"sec\",\"details\":\"SECRET-A insight\"}", "application/json"))).get("id").asText());
        ids.put("segment", Http.json(ok(admin.request("POST", "/v1/customer-segments",
                "{\"name\":\"SECRET-A segment\",\"criteria\":\"total_spent > 1\",\"description\":\"SECRET-A\"}", "application/json"))).get("id").asText());
        ids.put("customer", Http.json(ok(admin.request("POST", "/customers",
                "{\"externalId\":\"secret-a-ext\",\"name\":\"SECRET-A customer\",\"email\":\"owner@secret-a.example\"}", "application/json")))
                .get("id").asText());
        ok(admin.request("PUT", "/api/v1/metrics/secret_a_metric", "{\"type\":\"number\"}", "application/json"));
        ok(admin.request("PUT", "/api/v1/members/owner@secret-a.example", "{\"name\":\"SECRET-A member\"}", "application/json"));
        ok(admin.post("/v0/events?name=customer_events&wait=true", "{\"event_id\":\"sec-ev-1\",\"customer_id\":\"secret-a-ext\","
                + "\"event_type\":\"purchase\",\"event_timestamp\":\"2024-01-02 03:04:05\",\"page_url\":\"https://x/SECRET-A\"}"));
        ids.put("scratch-token", running.issueRecord(WS, "pipes:read").record().id());
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        if (running != null) {
            running.close();
        }
    }

    /** Every route the node mounts → what it needs. A mounted route missing here fails the test. */
    static Map<String, Spec> table() {
        String insight = ids.get("insight");
        String segment = ids.get("segment");
        String customer = ids.get("customer");
        Set<Integer> mine = Set.of(404);
        Set<Integer> any = Set.of();
        Set<Integer> wsItself = Set.of(403, 404);
        Map<String, Spec> t = new LinkedHashMap<>();
        t.put("GET /health", new Spec(Kind.PUBLIC, null, "/health", null, any));
        t.put("GET /ready", new Spec(Kind.PUBLIC, null, "/ready", null, any));
        t.put("GET /metrics", new Spec(Kind.PUBLIC, null, "/metrics", null, any));
        t.put("GET /ops", new Spec(Kind.PUBLIC, null, "/ops", null, any));
        t.put("GET /v0/ops", new Spec(Kind.TOKEN, "ops:read", "/v0/ops", null, any));
        t.put("POST /v0/events", new Spec(Kind.TOKEN, "events:append", "/v0/events?name=customer_events",
                "{\"event_id\":\"sec-ev-x\",\"customer_id\":\"c\",\"event_type\":\"page_view\",\"event_timestamp\":\"2024-01-02 03:04:05\"}", any));
        t.put("GET /v0/pipes", new Spec(Kind.FILTERED, "pipes:read", "/v0/pipes", null, any));
        t.put("GET /v0/pipes/{file}", new Spec(Kind.TOKEN, "pipes:read", "/v0/pipes/customer_activity.json?customer_id=secret-a-ext", null, any));
        t.put("GET /v1/customer-insights", new Spec(Kind.TOKEN, "insights:read", "/v1/customer-insights", null, any));
        t.put("POST /v1/customer-insights", new Spec(Kind.TOKEN, "insights:create", "/v1/customer-insights",
                "{\"customer_id\":\"c\",\"insight_type\":\"t\",\"details\":\"d\"}", any));
        t.put("GET /v1/customer-insights/{id}", new Spec(Kind.TOKEN, "insights:read", "/v1/customer-insights/" + insight, null, mine));
        t.put("PUT /v1/customer-insights/{id}", new Spec(Kind.TOKEN, "insights:update", "/v1/customer-insights/" + insight,
                "{\"details\":\"changed\"}", mine));
        t.put("DELETE /v1/customer-insights/{id}", new Spec(Kind.TOKEN, "insights:delete", "/v1/customer-insights/" + insight, null, mine));
        t.put("GET /v1/customer-segments", new Spec(Kind.TOKEN, "segments:read", "/v1/customer-segments", null, any));
        t.put("POST /v1/customer-segments", new Spec(Kind.TOKEN, "segments:create", "/v1/customer-segments",
                "{\"name\":\"n\",\"criteria\":\"total_spent > 5\",\"description\":\"d\"}", any));
        t.put("GET /v1/customer-segments/{id}", new Spec(Kind.TOKEN, "segments:read", "/v1/customer-segments/" + segment, null, mine));
        t.put("PUT /v1/customer-segments/{id}", new Spec(Kind.TOKEN, "segments:update", "/v1/customer-segments/" + segment,
                "{\"description\":\"changed\"}", mine));
        t.put("DELETE /v1/customer-segments/{id}", new Spec(Kind.TOKEN, "segments:delete", "/v1/customer-segments/" + segment, null, mine));
        t.put("GET /customers", new Spec(Kind.TOKEN, "links:read", "/customers", null, any));
        t.put("GET /customers/count", new Spec(Kind.TOKEN, "links:read", "/customers/count", null, any));
        t.put("POST /customers", new Spec(Kind.TOKEN, "links:create", "/customers", "{\"externalId\":\"sec-new\",\"name\":\"n\"}", any));
        t.put("GET /customers/cohorts", new Spec(Kind.TOKEN, "analytics:read", "/customers/cohorts", null, any));
        t.put("GET /customers/ltv-cohorts", new Spec(Kind.TOKEN, "analytics:read", "/customers/ltv-cohorts", null, any));
        t.put("GET /customers/{id}", new Spec(Kind.TOKEN, "links:read", "/customers/" + customer, null, mine));
        t.put("PATCH /customers/{id}", new Spec(Kind.TOKEN, "links:update", "/customers/" + customer, "{\"name\":\"changed\"}", mine));
        t.put("DELETE /customers/{id}", new Spec(Kind.TOKEN, "links:delete", "/customers/" + customer, null, mine));
        t.put("GET /customers/{id}/journey", new Spec(Kind.TOKEN, "analytics:read", "/customers/" + customer + "/journey", null, mine));
        t.put("GET /customers/{id}/attribution", new Spec(Kind.TOKEN, "analytics:read", "/customers/" + customer + "/attribution", null, mine));
        t.put("POST /customers/{id}/recalculate-ltv", new Spec(Kind.TOKEN, "links:update", "/customers/" + customer + "/recalculate-ltv",
                null, mine));
        t.put("POST /api/v1/customers", new Spec(Kind.UPLOAD_KEY, "customers:upload", "/api/v1/customers",
                "{\"customers\":[{\"external_id\":\"up-1\",\"name\":\"U\"}]}", any));
        for (String m : List.of("GET", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")) {
            t.put(m + " /api/v1/customers", new Spec(Kind.METHOD_NOT_ALLOWED, null, "/api/v1/customers", null, any));
        }
        t.put("GET /api/v1/customers/{external_id}/health", new Spec(Kind.TOKEN, "analytics:read",
                "/api/v1/customers/sec-health-ext/health", null, any));
        t.put("GET /api/v1/notifications", new Spec(Kind.TOKEN, "analytics:read", "/api/v1/notifications", null, any));
        t.put("GET /api/v1/settings", new Spec(Kind.TOKEN, "admin", "/api/v1/settings", null, any));
        t.put("PUT /api/v1/attributes/{codename}", new Spec(Kind.TOKEN, "admin", "/api/v1/attributes/sec_attr", "{\"type\":\"number\"}", any));
        t.put("DELETE /api/v1/attributes/{codename}", new Spec(Kind.TOKEN, "admin", "/api/v1/attributes/sec_attr", null, any));
        t.put("PUT /api/v1/metrics/{codename}", new Spec(Kind.TOKEN, "admin", "/api/v1/metrics/sec_metric", "{\"type\":\"number\"}", any));
        t.put("DELETE /api/v1/metrics/{codename}", new Spec(Kind.TOKEN, "admin", "/api/v1/metrics/sec_metric", null, any));
        t.put("PUT /api/v1/scoring", new Spec(Kind.TOKEN, "admin", "/api/v1/scoring", "{}", any));
        t.put("DELETE /api/v1/scoring", new Spec(Kind.TOKEN, "admin", "/api/v1/scoring", null, any));
        t.put("PUT /api/v1/members/{email}", new Spec(Kind.TOKEN, "admin", "/api/v1/members/m@example.com", "{\"name\":\"M\"}", any));
        t.put("DELETE /api/v1/members/{email}", new Spec(Kind.TOKEN, "admin", "/api/v1/members/m@example.com", null, any));
        t.put("PUT /api/v1/webhook", new Spec(Kind.TOKEN, "admin", "/api/v1/webhook", "{\"url\":\"https://hooks.example.com/x\"}", any));
        t.put("DELETE /api/v1/webhook", new Spec(Kind.TOKEN, "admin", "/api/v1/webhook", null, any));
        t.put("GET /v0/workspaces/{workspace}", new Spec(Kind.TOKEN, "admin", "/v0/workspaces/" + WS, null, wsItself));
        t.put("PUT /v0/workspaces/{workspace}/entitlements/{entitlement}", new Spec(Kind.OPERATOR, "admin",
                "/v0/workspaces/" + SCRATCH_WS + "/entitlements/revenue-tracking", null, wsItself));
        t.put("DELETE /v0/workspaces/{workspace}/entitlements/{entitlement}", new Spec(Kind.OPERATOR, "admin",
                "/v0/workspaces/" + SCRATCH_WS + "/entitlements/revenue-tracking", null, wsItself));
        t.put("GET /v0/tokens", new Spec(Kind.TOKEN, "admin", "/v0/tokens", null, any));
        t.put("POST /v0/tokens", new Spec(Kind.TOKEN, "admin", "/v0/tokens", "{\"name\":\"t\",\"scopes\":[\"pipes:read\"]}", any));
        t.put("DELETE /v0/tokens/{id}", new Spec(Kind.TOKEN, "admin", "/v0/tokens/" + ids.get("scratch-token"), null, mine));
        String reg = TributaryNode.REGISTRY_PATH;
        String schema = "{\"schema\":\"\\\"string\\\"\"}";
        t.put("POST " + reg + "/subjects/{subject}/versions", new Spec(Kind.TOKEN, "schemas:write", reg + "/subjects/sec-matrix-value/versions",
                schema, any));
        t.put("POST " + reg + "/subjects/{subject}", new Spec(Kind.ANY_TOKEN, null, reg + "/subjects/sec-matrix-value", schema, any));
        t.put("POST " + reg + "/compatibility/subjects/{subject}/versions/latest", new Spec(Kind.ANY_TOKEN, null,
                reg + "/compatibility/subjects/sec-matrix-value/versions/latest", schema, any));
        t.put("GET " + reg + "/schemas/ids/{id}", new Spec(Kind.ANY_TOKEN, null, reg + "/schemas/ids/1", null, any));
        t.put("GET " + reg + "/subjects", new Spec(Kind.ANY_TOKEN, null, reg + "/subjects", null, any));
        t.put("GET " + reg + "/subjects/{subject}/versions", new Spec(Kind.ANY_TOKEN, null, reg + "/subjects/sec-matrix-value/versions", null, any));
        t.put("GET " + reg + "/subjects/{subject}/versions/{version}", new Spec(Kind.ANY_TOKEN, null,
                reg + "/subjects/sec-matrix-value/versions/latest", null, any));
        t.put("GET " + reg + "/config", new Spec(Kind.ANY_TOKEN, null, reg + "/config", null, any));
        t.put("PUT " + reg + "/config", new Spec(Kind.TOKEN, "schemas:write", reg + "/config", "{\"compatibility\":\"BACKWARD\"}", any));
        t.put("GET " + reg + "/config/{subject}", new Spec(Kind.ANY_TOKEN, null, reg + "/config/sec-matrix-value", null, any));
        t.put("PUT " + reg + "/config/{subject}", new Spec(Kind.TOKEN, "schemas:write", reg + "/config/sec-matrix-value",
                "{\"compatibility\":\"BACKWARD\"}", any));
        return t;
    }

    @Test
    void everyMountedRouteTimesEveryTokenCase() {
        List<String> mounted = mountedRoutes();
        Map<String, Spec> table = table();
        List<String> missing = mounted.stream().filter(r -> !table.containsKey(r)).toList();
        assertThat(missing).as("mounted routes missing from the security table: give each its scope").isEmpty();
        assertThat(table.keySet().stream().filter(r -> !mounted.contains(r)).toList()).as("table routes the node does not mount").isEmpty();

        Map<String, Spec> all = table;
        List<String> order = new ArrayList<>(all.keySet());
        order.sort((a, b) -> {
            int c = Integer.compare(methodRank(a), methodRank(b));
            return c != 0 ? c : a.compareTo(b);
        });

        List<String> failures = new ArrayList<>();
        StringBuilder matrix = new StringBuilder(String.format("%-66s %9s %9s %9s %9s %9s %9s  scope%n", "route", "no-token",
                "malformed", "revoked", "other-ws", "no-scope", "scope"));
        for (String route : order) {
            Spec spec = all.get(route);
            String method = route.substring(0, route.indexOf(' '));
            List<String> cells = new ArrayList<>();
            for (String c : CASES) {
                HttpResponse<String> response = call(spec, method, c);
                String problem = check(spec, c, response);
                cells.add(response == null ? "-" : response.statusCode() + (problem == null ? "" : "!"));
                if (problem != null) {
                    failures.add(route + " [" + c + "] " + problem + ": " + response.statusCode() + " " + abbreviate(response.body()));
                }
            }
            matrix.append(String.format("%-66s %9s %9s %9s %9s %9s %9s  %s%n", route, cells.toArray(new Object[0])[0], cells.get(1), cells.get(2),
                    cells.get(3), cells.get(4), cells.get(5), spec.kind() == Kind.TOKEN || spec.kind() == Kind.FILTERED ? spec.scope() : spec.kind().name().toLowerCase()));
        }
        System.out.println("security matrix: " + all.size() + " routes x " + CASES.size() + " cases = " + all.size() * CASES.size()
                + " requests (- = case not applicable, ! = unexpected)");
        System.out.print(matrix);
        System.out.println("failures: " + failures.size());
        assertThat(failures).isEmpty();
    }

    @Test
    void tokensAreHashedAtRestAndNeverLogged() throws Exception {
        HttpResponse<String> created = token(WS, "admin").request("POST", "/v0/tokens", "{\"name\":\"log probe\",\"scopes\":[\"pipes:read\"]}",
                "application/json");
        assertThat(created.statusCode()).isEqualTo(201);
        String issued = Http.json(created).get("token").asText();
        secrets.add(issued);
        Http withIssued = running.operator().withToken(issued);
        Await.until("the new token to work", () -> withIssued.get("/v0/pipes").statusCode() == 200);
        assertThat(running.operator().withToken(issued + "x").get("/v0/pipes").statusCode()).isEqualTo(401);
        assertThat(running.operator().withToken("trb_" + "Z".repeat(40)).get("/v0/pipes").statusCode()).isEqualTo(401);
        assertThat(running.operator().withToken(null).requestWithHeaders("POST", "/api/v1/customers", "{}", Map.of(KEY, issued + "x"))
                .statusCode()).isEqualTo(403);

        List<String> raw = readTopic(Topics.TOKENS);
        assertThat(raw).as("records of _tributary_tokens").hasSizeGreaterThan(3);
        for (String secret : secrets) {
            String hash = io.tributary.platform.auth.Tokens.sha256Hex(secret);
            assertThat(raw).as("no record holds the token text").noneMatch(r -> r.contains(secret));
            assertThat(raw).as("its SHA-256 is what is stored").anyMatch(r -> r.contains(hash));
        }

        List<String> logged = logs.list.stream().map(e -> e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()))).toList();
        System.out.println("log lines captured: " + logged.size() + "; tokens checked against them: " + secrets.size());
        assertThat(logged).hasSizeGreaterThan(10);
        for (String secret : secrets) {
            assertThat(logged).as("no log line holds a token").noneMatch(l -> l.contains(secret));
            assertThat(logged).as("nor its hash").noneMatch(l -> l.contains(io.tributary.platform.auth.Tokens.sha256Hex(secret)));
        }
    }

    // --- the cases ---

    private static HttpResponse<String> call(Spec spec, String method, String c) {
        Http node = running.operator();
        String body = spec.body();
        String contentType = body == null ? null : "application/json";
        if (spec.kind() == Kind.UPLOAD_KEY) {
            String key = switch (c) {
                case "no token" -> null;
                case "malformed" -> "not a key";
                case "revoked" -> revoked(WS);
                case "other ws" -> cached(OTHER, spec.scope());
                case "missing scope" -> cached(WS, "analytics:read");
                default -> cached(WS, spec.scope());
            };
            Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/json"));
            if (key != null) {
                headers.put(KEY, key);
            }
            return node.withToken(null).requestWithHeaders(method, spec.samplePath(), body, headers);
        }
        String token = switch (c) {
            case "no token" -> null;
            case "malformed" -> "trb_not!a token";
            case "revoked" -> revoked(WS);
            case "other ws" -> spec.kind() == Kind.OPERATOR ? cached(OTHER, "admin") : cached(OTHER, scopeOr(spec));
            case "missing scope" -> spec.kind() == Kind.OPERATOR ? cached(WS, "admin")
                    : spec.kind() == Kind.FILTERED ? cached(WS, "ops:read")
                    : spec.kind() == Kind.ANY_TOKEN || spec.kind() == Kind.PUBLIC || spec.kind() == Kind.METHOD_NOT_ALLOWED ? null
                    : cached(WS, "ops:read".equals(spec.scope()) ? "pipes:read" : "ops:read");
            default -> spec.kind() == Kind.OPERATOR ? TestNodes.ADMIN_TOKEN : cached(WS, scopeOr(spec));
        };
        if (c.equals("missing scope") && token == null) {
            return null;
        }
        return node.withToken(token).request(method, spec.samplePath(), body, contentType);
    }

    private static String scopeOr(Spec spec) {
        return spec.scope() == null ? "pipes:read" : spec.scope();
    }

    /** Null when the answer is as expected, else what is wrong. */
    private static String check(Spec spec, String c, HttpResponse<String> response) {
        if (response == null) {
            return null;
        }
        int status = response.statusCode();
        if (status >= 500) {
            return "a 5xx";
        }
        if (spec.kind() == Kind.METHOD_NOT_ALLOWED) {
            return status == 405 ? null : "expected 405";
        }
        if (spec.kind() == Kind.PUBLIC) {
            return status == 401 || status == 403 ? "a public route refused" : null;
        }
        if (spec.kind() == Kind.UPLOAD_KEY) {
            int expected = switch (c) {
                case "no token" -> 401;
                case "malformed", "revoked", "missing scope" -> 403;
                default -> 0;
            };
            if (expected != 0) {
                return status == expected ? null : "expected " + expected;
            }
        }
        return switch (c) {
            case "no token", "malformed", "revoked" -> status == 401 ? null : "expected 401";
            case "missing scope" -> spec.kind() == Kind.FILTERED
                    ? (status == 200 && response.body().equals("{\"pipes\":[]}") ? null : "expected 200 with nothing listed")
                    : status == 403 ? null : "expected 403";
            case "other ws" -> {
                if (MARKERS.stream().anyMatch(m -> response.body().contains(m))) {
                    yield "another workspace's data in the answer";
                }
                if (!spec.otherWorkspace().isEmpty()) {
                    yield spec.otherWorkspace().contains(status) ? null : "expected " + spec.otherWorkspace();
                }
                yield status == 401 || status == 403 ? "a valid token of the other workspace refused" : null;
            }
            default -> status == 401 || status == 403 ? "the right scope refused" : null;
        };
    }

    // --- tokens ---

    private static final Map<String, String> tokens = new HashMap<>();

    /** A token of {@code workspace} with {@code scope}, once the node knows it (one per workspace and scope). */
    private static String cached(String workspace, String scope) {
        return tokens.computeIfAbsent(workspace + "|" + scope, k -> {
            String token = running.issueToken(workspace, scope);
            secrets.add(token);
            Http http = running.operator().withToken(token);
            Await.until("the node to know a new token", () -> http.get("/v0/pipes").statusCode() != 401);
            return token;
        });
    }

    private static String revoked(String workspace) {
        return tokens.computeIfAbsent(workspace + "|revoked", k -> {
            TokenStore.IssuedToken issued = running.issueRecord(workspace, "admin");
            secrets.add(issued.token());
            Http http = running.operator().withToken(issued.token());
            Await.until("the node to know a new token", () -> http.get("/v0/pipes").statusCode() == 200);
            running.revoke(workspace, issued.record().id());
            Await.until("the node to see the revocation", () -> http.get("/v0/pipes").statusCode() == 401);
            return issued.token();
        });
    }

    private static Http token(String workspace, String scope) {
        return running.operator().withToken(cached(workspace, scope));
    }

    private static List<String> mountedRoutes() {
        return List.copyOf(TestNodes.mountedRoutes(running.node()));
    }

    private static int methodRank(String route) {
        return List.of("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE").indexOf(route.substring(0, route.indexOf(' ')))
                * 10 + (route.contains("/entitlements/") || route.contains("/v0/tokens/") ? 1 : 0);
    }

    private static HttpResponse<String> ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        return response;
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    private static List<String> readTopic(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, running.node().kafkaBootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "sec-" + UUID.randomUUID());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<String> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add((r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8)) + " "
                            + (r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8)));
                }
            }
            return out;
        }
    }
}
