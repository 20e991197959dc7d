package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.platform.config.Setting;
import io.tributary.platform.fuzz.FuzzInputs;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 8, items 2 and 3 end to end: a node with two workspaces holding data receives a few
 * thousand generated bad requests on the write routes and every pipe param (never a 5xx, never a
 * stack trace, every 4xx in the {@code {"error":{"code","message","details"}}} shape), and classic
 * injection strings in every param of every pipe (enumerated from {@code GET /v0/pipes}) and every
 * list/filter param of the REST routes, and as the ?token= of every pipe (never the other workspace's data,
 * never SQL in an error; a token that is an injection string is a 401).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BadInputContract {
    static final List<String> INJECTIONS = List.of("' OR 1=1 --", "'; DROP TABLE customer_events; --", "\") OR (\"1\"=\"1",
            "\\' UNION SELECT * FROM customer_events --", "{{workspace_id}}", "%27", "%27%20OR%201%3D1", "\u2018 OR 1=1 --\u2019",
            "\uFF07 OR \uFF071\uFF07=\uFF071", "a\u0000b", "\u0000", "x".repeat(5_000), "1 OR 1=1", "victim-b-1' OR '1'='1",
            "ws-b", "*", "%", "_", "\\", "\u202Eevil");
    private static final String VICTIM = "victim-b";

    private NodeWithTokens running;
    private Http a;
    private Http b;
    private String uploadKeyA;

    protected abstract Map<Setting, String> storeSettings() throws Exception;

    @BeforeAll
    void startNodeWithTwoWorkspaces() throws Exception {
        Map<Setting, String> settings = new EnumMap<>(Setting.class);
        settings.putAll(storeSettings());
        settings.put(Setting.UPLOAD_BURST, "100000");
        settings.put(Setting.UPLOAD_RATE_PER_MINUTE, "100000");
        running = NodeWithTokens.start("tributary-badinput-", settings);
        String[] scopes = {"events:append", "pipes:read", "insights:read", "insights:create", "segments:read", "segments:create",
                "links:read", "links:create", "analytics:read", "admin"};
        for (String ws : List.of("ws-a", "ws-b")) {
            running.operator().request("PUT", "/v0/workspaces/" + ws + "/entitlements/revenue-tracking", null, null);
        }
        a = running.issue("ws-a", "/v0/pipes", scopes);
        b = running.issue("ws-b", "/v0/pipes", scopes);
        uploadKeyA = running.issueToken("ws-a", "customers:upload");
        seed(a, "owner-a");
        seed(b, VICTIM);
        Await.until("both workspaces' events in the pipes", () -> Http.json(b.get("/v0/pipes/customer_activity.json?customer_id="
                + VICTIM + "-1")).path("data").size() > 0 && Http.json(a.get("/v0/pipes/customer_activity.json?customer_id=owner-a-1"))
                .path("data").size() > 0);
    }

    private static void seed(Http ws, String prefix) {
        StringBuilder rows = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            rows.append("{\"event_id\":\"").append(prefix).append("-e").append(i).append("\",\"customer_id\":\"").append(prefix).append('-')
                    .append(i).append("\",\"event_type\":\"purchase\",\"event_timestamp\":\"2024-01-0").append(i)
                    .append(" 10:00:00\",\"price\":10.5,\"quantity\":1,\"country\":\"US\",\"page_url\":\"/").append(prefix).append("\"}\n");
        }
        assertThat(ws.post("/v0/events?name=customer_events&wait=true", rows.toString()).statusCode()).isBetween(200, 202);
        ws.post("/v0/events?name=customer_profiles&wait=true", "{\"customer_id\":\"" + prefix + "-1\",\"email\":\"" + prefix
                + "@example.com\",\"country\":\"US\",\"age\":30,\"updated_at\":\"2024-01-01T00:00:00Z\"}");
        ws.post("/v1/customer-insights", "{\"customer_id\":\"" + prefix + "-1\",\"insight_type\":\"note\",\"details\":\"" + prefix + " secret\"}");
        ws.post("/v1/customer-segments", "{\"name\":\"" + prefix + "-segment\",\"criteria\":\"total_spent > 1\"}");
        ws.request("PUT", "/api/v1/metrics/logins", "{\"type\":\"number\"}", "application/json");
        ws.request("PUT", "/api/v1/scoring", "{\"components\":[{\"source\":\"metric\",\"codename\":\"logins\",\"normalisation\":"
                + "\"thresholds\",\"thresholds\":[0,10]}]}", "application/json");
    }

    @AfterAll
    void stopNode() {
        if (running != null) {
            running.close();
        }
    }

    /** Counts and checks every answer: below 500, no stack trace, 4xx in the error shape, no SQL, nothing of ws-b. */
    private final class Checker {
        int inputs;
        int fiveXx;
        final List<String> failures = new ArrayList<>();

        void check(String what, HttpResponse<String> r, String sent) {
            inputs++;
            String body = r.body();
            String problem = null;
            if (r.statusCode() >= 500) {
                fiveXx++;
                problem = "5xx";
            } else if (otherWorkspace(body, sent, r.statusCode())) {
                problem = "another workspace's data";
            } else if (r.statusCode() >= 400) {
                JsonNode error = parse(body).path("error");
                if (!error.path("code").isTextual() || !error.path("message").isTextual()
                        || !error.path("details").isArray()) {
                    problem = "not the error shape";
                } else if (!FuzzInputs.isCleanMessage(error.toString(), sent, Http.JSON.valueToTree(sent == null ? "" : sent).toString())) {
                    problem = "stack trace or class names";
                } else if (leaksSql(error.toString(), sent)) {
                    problem = "SQL in the error";
                }
            }
            if (problem != null && failures.size() < 20) {
                failures.add(problem + ": " + what + " -> " + r.statusCode() + " " + body.substring(0, Math.min(400, body.length())));
            }
        }

        /** ws-b's markers in the answer; an error may echo what was sent, so markers the input held count only in a 2xx. */
        private boolean otherWorkspace(String body, String sent, int status) {
            for (String marker : List.of(VICTIM, "ws-b")) {
                if (body.contains(marker) && (status < 400 || sent == null || !sent.contains(marker))) {
                    return true;
                }
            }
            return false;
        }

        /** SQL keywords (as the stores write them), store error prefixes or table names the input did not hold. */
        private boolean leaksSql(String error, String sent) {
            for (String marker : List.of("SELECT ", " FROM ", " WHERE ", "DB::Exception", "Binder Error", "Parser Error", "Catalog Error",
                    "Conversion Error", "customer_events", "customer_profiles", "customer_segments", "segment_membership", "health_scores")) {
                if (error.contains(marker) && (sent == null || !sent.contains(marker.strip()))) {
                    return true;
                }
            }
            return false;
        }

        private JsonNode parse(String body) {
            try {
                return Http.JSON.readTree(body);
            } catch (Exception e) {
                return Http.JSON.createObjectNode();
            }
        }
    }

    @Test
    void thousandsOfGeneratedBadRequestsGetNo5xxAndClean4xxBodies() {
        Random random = new Random(8);
        Checker checker = new Checker();
        List<String> rows = List.of(
                "{\"event_id\":\"e\",\"customer_id\":\"c\",\"event_type\":\"purchase\",\"event_timestamp\":\"2024-01-01 10:00:00\",\"price\":1.5}",
                "{\"customer_id\":\"c\",\"email\":\"a@b.co\",\"age\":31,\"updated_at\":\"2024-01-01T00:00:00Z\"}",
                "{\"segment_id\":\"s\",\"segment_name\":\"S\",\"rule\":\"total_spent > 1\",\"created_at\":\"2024-01-01 00:00:00\"}");
        List<String> writes = List.of("/v0/events?name=customer_events", "/v0/events?name=customer_profiles",
                "/v0/events?name=customer_segments", "/v0/events?name=" + Http.encode(nasty(random)), "/v1/customer-insights",
                "/v1/customer-segments", "/customers", "/v1/customer-insights/" + Http.encode("x y"), "/v0/tokens");
        for (int i = 0; i < 1_500; i++) {
            String path = writes.get(random.nextInt(writes.size()));
            String body = badBody(random, rows.get(random.nextInt(rows.size())));
            String contentType = random.nextInt(4) == 0 ? "application/x-www-form-urlencoded" : random.nextInt(3) == 0 ? null : "application/json";
            String method = path.contains("insights/") ? "PUT" : "POST";
            checker.check(method + " " + path, a.request(method, path, body, contentType), body);
        }
        for (int i = 0; i < 300; i++) {
            String body = badBody(random, "{\"customers\":[{\"external_id\":\"u-1\",\"name\":\"U\",\"metrics\":[{\"date\":\"2024-04-29\",\"logins\":3}]}]}");
            checker.check("POST /api/v1/customers", running.operator().withToken(null).requestWithHeaders("POST", "/api/v1/customers",
                    body, Map.of("customerscore-key", uploadKeyA, "Content-Type", "application/json")), body);
        }
        for (JsonNode pipe : Http.json(a.get("/v0/pipes")).path("pipes")) {
            for (JsonNode param : pipe.path("params")) {
                for (int i = 0; i < 40; i++) {
                    String value = nasty(random);
                    String url = pipeUrl(pipe, param.path("name").asText(), value);
                    checker.check("GET " + url, a.get(url), value);
                }
            }
        }
        System.out.println("fuzz: " + checker.inputs + " inputs, " + checker.fiveXx + " 5xx");
        assertThat(checker.failures).isEmpty();
        assertThat(checker.inputs).isGreaterThan(2_000);
    }

    @Test
    void injectionStringsInEveryParamNeverReachAnotherWorkspaceOrLeakSql() {
        Checker checker = new Checker();
        JsonNode pipes = Http.json(a.get("/v0/pipes")).path("pipes");
        assertThat(pipes.size()).isGreaterThanOrEqualTo(7);
        List<String> listRoutes = List.of("/v1/customer-insights?customer_id=%s", "/v1/customer-insights?insight_type=%s",
                "/v1/customer-insights?starting_after=%s", "/v1/customer-insights?limit=%s", "/v1/customer-segments?name=%s",
                "/v1/customer-segments?criteria=%s", "/v1/customer-segments?ending_before=%s", "/customers?search=%s",
                "/customers?sortOrder=%s", "/customers?page=%s", "/customers?limit=%s", "/customers/%s", "/customers/ext_%s",
                "/api/v1/notifications?recipient=%s", "/api/v1/notifications?page=%s", "/api/v1/customers/%s/health",
                "/v1/customer-insights/%s", "/v1/customer-segments/%s");
        for (String attack : INJECTIONS) {
            for (JsonNode pipe : pipes) {
                for (JsonNode param : pipe.path("params")) {
                    String url = pipeUrl(pipe, param.path("name").asText(), attack);
                    checker.check("GET " + url, a.get(url), attack);
                }
                // the token itself, as pipes also take it (?token=, as Tinybird does): refused, nothing read
                String url = pipe.path("params").isEmpty() ? "/v0/pipes/" + pipe.path("name").asText() + ".json?token=" + Http.encode(attack)
                        : pipeUrl(pipe, pipe.path("params").get(0).path("name").asText(), validValue(pipe.path("params").get(0)))
                        + "&token=" + Http.encode(attack);
                HttpResponse<String> refused = a.withToken(null).get(url);
                checker.check("GET " + url + " (no Authorization header)", refused, attack);
                if (refused.statusCode() != 401 && checker.failures.size() < 20) {
                    checker.failures.add("an injection string as ?token= got " + refused.statusCode() + ", not 401: " + url);
                }
            }
            for (String route : listRoutes) {
                String encoded = route.contains("?") ? Http.encode(attack) : Http.encode(attack).replace("+", "%20");
                String url = route.formatted(encoded);
                if (url.length() < 4_000) {
                    checker.check("GET " + url, a.get(url), attack);
                }
            }
        }
        System.out.println("injection: " + checker.inputs + " requests, " + checker.fiveXx + " 5xx, " + checker.failures.size() + " leaks");
        assertThat(checker.failures).isEmpty();
        // ws-b's data is still there and still ws-b's: nothing was dropped or rewritten
        assertThat(Http.json(b.get("/v0/pipes/customer_activity.json?customer_id=" + VICTIM + "-1")).path("data").size()).isEqualTo(1);
    }

    /** The pipe's .json URL with {@code name=value} and a valid value for every other required param. */
    private static String pipeUrl(JsonNode pipe, String name, String value) {
        StringBuilder url = new StringBuilder("/v0/pipes/" + pipe.path("name").asText() + ".json?" + name + "=" + Http.encode(value));
        for (JsonNode p : pipe.path("params")) {
            if (p.path("required").asBoolean() && !p.path("name").asText().equals(name)) {
                url.append('&').append(p.path("name").asText()).append('=').append(Http.encode(validValue(p)));
            }
        }
        return url.toString();
    }

    private static String validValue(JsonNode p) {
        if (p.has("values")) {
            return p.path("values").get(0).asText();
        }
        return switch (p.path("type").asText()) {
            case "Date" -> "2024-01-01";
            case "DateTime" -> "2024-01-01 00:00:00";
            case "Boolean" -> "true";
            case "String" -> "owner-a-1";
            default -> "1";
        };
    }

    private static String nasty(Random random) {
        String s = FuzzInputs.NASTY.get(random.nextInt(FuzzInputs.NASTY.size()));
        return switch (random.nextInt(4)) {
            case 0 -> s;
            case 1 -> s + (char) random.nextInt(0x3000);
            case 2 -> INJECTIONS.get(random.nextInt(INJECTIONS.size()));
            default -> randomText(random, random.nextInt(30));
        };
    }

    private static String randomText(Random random, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append((char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(0xD7FF)));
        }
        return s.toString();
    }

    /** A mutated valid body, random text, deep nesting, a huge string or an injection string. */
    private static String badBody(Random random, String valid) {
        switch (random.nextInt(6)) {
            case 0 -> {
                return randomText(random, random.nextInt(200));
            }
            case 1 -> {
                int n = 1 + random.nextInt(300);
                return "{\"a\":" + "[".repeat(n) + "]".repeat(n) + "}";
            }
            case 2 -> {
                return valid.replace("\"c\"", "\"" + "x".repeat(20_000 + random.nextInt(20_000)) + "\"");
            }
            case 3 -> {
                return valid.replace("\"c\"", Http.JSON.valueToTree(nasty(random)).toString());
            }
            default -> {
                StringBuilder s = new StringBuilder(valid);
                for (int e = 0; e <= random.nextInt(4); e++) {
                    int at = random.nextInt(s.length() + 1);
                    switch (random.nextInt(3)) {
                        case 0 -> s.insert(at, "{}[]\":,'\\\n".charAt(random.nextInt(10)));
                        case 1 -> s.delete(Math.min(at, s.length() - 1), Math.min(at + 1 + random.nextInt(5), s.length()));
                        default -> s.insert(at, nasty(random));
                    }
                }
                return s.toString();
            }
        }
    }
}
