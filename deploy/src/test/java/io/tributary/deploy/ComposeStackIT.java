package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 9: deploy/compose brought up as written — its .env, commands, volumes, start order and
 * health checks, the nginx proxy's template, Prometheus' scrape config and the Grafana dashboard's
 * queries — with every service in a network namespace of its own instead of a container
 * ({@link LocalComposeStack}: no Docker engine on these machines). Writes go through the proxy to
 * both gateways, reads to both query APIs, Prometheus scrapes every role, and the operator commands
 * run inside a tributary "container" as the compose README says.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeStackIT {
    private static final Path COMPOSE = Path.of("compose");
    private static final int CUSTOMERS = 10;
    private static final int EVENTS_PER_CUSTOMER = 30;
    private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)\\{(.*)} ([0-9.eE+-]+)$", Pattern.MULTILINE); // label values may hold braces: route="/v0/pipes/{file}"
    private static final Pattern LABEL = Pattern.compile("([a-z_]+)=\"([^\"]*)\"");
    /** Routes every role serves to the health check and Prometheus. */
    private static final Set<String> OPERATIONS = Set.of("GET /health", "GET /ready", "GET /metrics");
    /** Long enough for three scrapes: the compose Prometheus scrapes every 15 s, and a rate needs two samples. */
    private static final Duration SCRAPES = Duration.ofSeconds(60);
    /** Dashboard series that exist only once something failed. */
    private static final Set<String> ONLY_AFTER_FAILURES = Set.of("tributary_sink_failures_total", "tributary_sink_dead_letters_total",
            "http_server_errors_total");

    private static LocalComposeStack stack;
    private static String adminToken;
    private static Http proxy;

    @BeforeAll
    static void up() throws Exception {
        Optional<String> unavailable = LocalComposeStack.unavailable();
        Assumptions.assumeTrue(unavailable.isEmpty(), () -> "compose stack not started: " + unavailable.orElseThrow());
        adminToken = "trb_compose_" + HexFormat.of().formatHex(randomBytes(16));
        // As a user would: the three secrets compose refuses to start without, set in the shell (or .env).
        Map<String, String> shell = Map.of("TRIBUTARY_ADMIN_TOKEN", adminToken,
                "TRIBUTARY_CLICKHOUSE_PASSWORD", HexFormat.of().formatHex(randomBytes(12)),
                "GRAFANA_ADMIN_PASSWORD", HexFormat.of().formatHex(randomBytes(12)));
        stack = LocalComposeStack.up(COMPOSE, shell);
        proxy = new Http("http://" + stack.address("proxy") + ":8080", adminToken);
    }

    @AfterAll
    static void down() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void everyServiceButGrafanaRunsAndIsHealthy() {
        // Grafana is not packaged for Debian; its dashboard's queries are run against Prometheus below.
        assertThat(stack.notRun()).containsOnlyKeys("grafana");
        assertThat(proxy.get("/proxy-health").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void writesGoThroughTheProxyToBothGatewaysAndReadsToBothQueryApis() {
        for (int c = 0; c < CUSTOMERS; c++) {
            HttpResponse<String> answer = proxy.post("/v0/events?name=customer_events&wait=true", batch(c));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200); // wait=true: 200 once in the store
            assertThat(Http.json(answer).path("successful_rows").asInt()).as(answer.body()).isEqualTo(EVENTS_PER_CUSTOMER);
        }
        for (int c = 0; c < CUSTOMERS; c++) {
            String customer = customer(c);
            Await.until(customer + "'s events through the proxy", () -> Http.json(proxy.get("/v0/pipes/customer_activity.json?limit=1000&customer_id="
                    + customer)).path("data").size() == EVENTS_PER_CUSTOMER);
        }
        // nginx balances round robin: each instance of a role served some of its requests, and none
        // of the other role's (GETs of a gateway: only the health check's and Prometheus').
        for (String gateway : List.of("gateway-1", "gateway-2")) {
            Map<String, Double> served = requests(gateway);
            assertThat(served.getOrDefault("POST /v0/events", 0.0)).as(gateway + " served " + served).isPositive();
            assertThat(served.keySet()).as(gateway + " served " + served).allMatch(r -> !r.startsWith("GET ") || OPERATIONS.contains(r));
        }
        for (String query : List.of("query-1", "query-2")) {
            Map<String, Double> served = requests(query);
            assertThat(served.getOrDefault("GET /v0/pipes/{file}", 0.0)).as(query + " served " + served + "\n" + stack.logs("proxy")).isPositive();
            assertThat(served.keySet()).as(query + " served " + served).allMatch(r -> r.startsWith("GET "));
        }
        // The proxy hides /metrics: Prometheus scrapes each process itself.
        assertThat(proxy.get("/metrics").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(3)
    void theOperatorCommandsRunInsideATributaryContainerThroughTheProxy() throws Exception {
        LauncherProcess.Completed lag = stack.exec("processors-1", List.of("tributary", "lag"), Duration.ofSeconds(90));
        assertThat(lag.exitCode()).as(lag.output()).isZero();
        assertThat(lag.output()).contains("customer_events");
        LauncherProcess.Completed health = stack.exec("gateway-2", List.of("tributary", "health", "show"), Duration.ofSeconds(90));
        assertThat(health.exitCode()).as(health.output()).isZero();
        // Token creation is a gateway route, the listing a query route: the proxy sends each to its role.
        LauncherProcess.Completed created = stack.exec("query-1", List.of("tributary", "token", "create", "--name", "compose-reader",
                "--scope", "pipes:read"), Duration.ofSeconds(90));
        assertThat(created.exitCode()).as(created.output()).isZero();
        LauncherProcess.Completed tokens = stack.exec("processors-2", List.of("tributary", "token", "list"), Duration.ofSeconds(90));
        assertThat(tokens.exitCode()).as(tokens.output()).isZero();
        assertThat(tokens.output()).contains("compose-reader");
    }

    @Test
    @Order(4)
    void prometheusScrapesEveryRoleAndEveryDashboardQueryAnswers() throws Exception {
        Http prometheus = new Http("http://" + stack.address("prometheus") + ":9090", null);
        Await.until("Prometheus' targets all up", SCRAPES, () -> {
            JsonNode targets = Http.json(prometheus.get("/api/v1/targets")).path("data").path("activeTargets");
            return targets.size() == 7 && DeploymentFilesTest.iterable(targets).stream().allMatch(t -> t.path("health").asText().equals("up"));
        });
        JsonNode up = query(prometheus, "sum by (job) (up{job=~\"tributary-.*\"})");
        Map<String, String> upByJob = new TreeMap<>();
        up.forEach(series -> upByJob.put(series.path("metric").path("job").asText(), series.path("value").get(1).asText()));
        assertThat(upByJob).containsExactlyEntriesOf(new TreeMap<>(Map.of("tributary-gateway", "2", "tributary-processors", "2", "tributary-query", "2")));

        JsonNode dashboard = Http.JSON.readTree(COMPOSE.resolve("grafana/dashboards/tributary.json").toFile());
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panel.path("targets").forEach(t -> expressions.add(t.path("expr").asText()));
        }
        assertThat(expressions).isNotEmpty();
        for (String grafana : expressions) {
            String expr = grafana.replace("$__rate_interval", "1m");
            boolean mayBeEmpty = ONLY_AFTER_FAILURES.stream().anyMatch(expr::contains);
            // a rate needs two scrapes (15 s apart) after the traffic above
            Await.until("data for the dashboard query " + expr, SCRAPES, () -> mayBeEmpty || query(prometheus, expr).size() > 0);
        }
    }

    private static JsonNode query(Http prometheus, String expr) {
        HttpResponse<String> answer = prometheus.get("/api/v1/query?query=" + Http.encode(expr));
        assertThat(answer.statusCode()).as(expr + ": " + answer.body()).isEqualTo(200);
        JsonNode body = Http.json(answer);
        assertThat(body.path("status").asText()).as(expr + ": " + answer.body()).isEqualTo("success");
        return body.path("data").path("result");
    }

    /** What an instance served, "METHOD route" to count, from its own /metrics (the http.server.requests Timer). */
    private static Map<String, Double> requests(String service) {
        String metrics = new Http("http://" + stack.address(service) + ":8080", null).get("/metrics").body();
        Map<String, Double> served = new TreeMap<>();
        Matcher m = SAMPLE.matcher(metrics);
        while (m.find()) {
            if (m.group(1).equals("http_server_requests_seconds_count")) {
                Matcher method = LABEL.matcher(m.group(2));
                Map<String, String> labels = new TreeMap<>();
                while (method.find()) {
                    labels.put(method.group(1), method.group(2));
                }
                served.merge(labels.get("method") + " " + labels.get("route"), Double.parseDouble(m.group(3)), Double::sum);
            }
        }
        return served;
    }

    private static String batch(int c) {
        StringBuilder ndjson = new StringBuilder();
        for (int e = 0; e < EVENTS_PER_CUSTOMER; e++) {
            ndjson.append("{\"event_id\":\"compose-%d-%d\",\"customer_id\":\"%s\",\"event_type\":\"%s\",\"event_timestamp\":\"2026-11-01 10:%02d:00\",\"price\":%d.5}\n"
                    .formatted(c, e, customer(c), e % 3 == 0 ? "purchase" : "page_view", e, e));
        }
        return ndjson.toString();
    }

    private static String customer(int c) {
        return "compose-cust-" + c;
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
