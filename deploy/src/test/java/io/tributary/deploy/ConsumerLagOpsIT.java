package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Lag acceptance on a real all-in-one node: with the processors role stopped, events posted to
 * the gateway pile up as lag in /v0/ops, in /metrics ({@code tributary_consumer_lag_records}) and
 * in {@code tributary lag}; started again, the processors work it off and every group's lag
 * returns to zero.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsumerLagOpsIT {
    private static final String SINK = "tributary-sink-customer_events";
    private static final String APP = "tributary-customer-analytics";
    private static final Pattern LAG_METRIC = Pattern.compile(
            "^tributary_consumer_lag_records\\{group=\"" + SINK + "\",partition=\"\\d+\",topic=\"customer_events\",?} (\\S+)$",
            Pattern.MULTILINE);

    private TestNodes.TempNode running;
    private TributaryNode node;
    private Http http;

    @BeforeAll
    void startNode() throws Exception {
        running = TestNodes.startInTempDir("tributary-ops-", Map.of());
        node = running.node();
        http = running.http();
    }

    @AfterAll
    void stopNode() {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void lagRisesWhileTheProcessorsAreStoppedAndFallsToZeroAfterTheyRestart() throws Exception {
        assertThat(http.post("/v0/events?name=customer_events&wait=true", events(0, 30)).statusCode()).isEqualTo(200);
        JsonNode caughtUp = awaitOps("every group caught up", ops -> totalLag(ops, SINK) == 0 && totalLag(ops, APP) == 0
                && endOffsets(ops, SINK) >= 30);
        assertThat(partitions(caughtUp, SINK)).hasSize(3);
        assertThat(partitions(caughtUp, APP).stream().filter(p -> p.path("topic").asText().equals("customer_events"))).hasSize(3);
        assertThat(caughtUp.path("health").path("status").asText()).isEqualTo("READY");
        assertThat(caughtUp.path("freshness").findValuesAsText("sink")).contains("customer_events");
        assertThat(caughtUp.path("lag_seconds_method").asText()).contains("oldest unconsumed record");

        node.stopProcessors();
        assertThat(http.post("/v0/events?name=customer_events", events(100, 200)).statusCode()).isEqualTo(202);
        JsonNode lagging = awaitOps("sink lag of 200 records", ops -> totalLag(ops, SINK) == 200);
        assertThat(totalLag(lagging, APP)).isGreaterThanOrEqualTo(200);
        assertThat(lagging.path("health").path("checks").path("stream-processors").asText()).startsWith("DOWN");
        for (JsonNode p : partitions(lagging, SINK)) {
            assertThat(p.path("end_offset").asLong() - p.path("committed_offset").asLong()).isEqualTo(p.path("lag").asLong());
            if (p.path("lag").asLong() > 0) {
                assertThat(p.path("lag_seconds").asDouble()).as("lag seconds of %s", p).isGreaterThanOrEqualTo(0).isLessThan(120);
            }
        }
        assertThat(metricLag()).isEqualTo(200);

        TimeUnit.SECONDS.sleep(2); // so the oldest unconsumed record is measurably older
        assertThat(http.post("/v0/events?name=customer_events", events(1000, 100)).statusCode()).isEqualTo(202);
        JsonNode rising = awaitOps("sink lag rising to 300 records", ops -> totalLag(ops, SINK) == 300);
        assertThat(rising.path("groups").findValues("group").stream().map(JsonNode::asText)).contains(SINK, APP);
        JsonNode sinkGroup = group(rising, SINK);
        assertThat(sinkGroup.path("lag_seconds").asDouble()).isGreaterThanOrEqualTo(2.0);
        assertThat(sinkGroup.path("consume_rate").asDouble()).isEqualTo(0.0);
        assertThat(metricLag()).isEqualTo(300);
        Matcher seconds = Pattern.compile("^tributary_consumer_lag_seconds\\{group=\"" + SINK + "\",[^}]*} (\\S+)$", Pattern.MULTILINE)
                .matcher(http.get("/metrics").body());
        assertThat(seconds.find()).as("tributary_consumer_lag_seconds of " + SINK).isTrue();
        assertThat(Double.parseDouble(seconds.group(1))).isPositive();

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TributaryCli.run(new String[] {"lag", "--url", "http://127.0.0.1:" + node.httpPort(), "--admin-token", TestNodes.ADMIN_TOKEN},
                Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        System.out.println("tributary lag while the processors are stopped:\n" + out);
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString().lines().findFirst().orElseThrow().split("\\s+"))
                .containsExactly("GROUP", "TOPIC", "PARTITION", "END-OFFSET", "COMMITTED", "LAG", "LAG-SECONDS", "RATE");
        long cliLag = out.toString().lines().filter(l -> l.startsWith(SINK + " ")).mapToLong(l -> Long.parseLong(l.split("\\s+")[5])).sum();
        assertThat(cliLag).isEqualTo(300);

        node.startProcessors();
        JsonNode drained = awaitOps("every group back to zero lag", ops -> ops.path("groups").findValues("lag").stream()
                .allMatch(l -> l.asLong() == 0) && totalLag(ops, SINK) == 0 && endOffsets(ops, SINK) >= 330);
        assertThat(group(drained, SINK).path("lag_seconds").asDouble()).isZero();
        awaitOps("stream processors ready again", ops -> ops.path("health").path("status").asText().equals("READY"));
        assertThat(metricLag()).isZero();
        // the consume rate of the interval in which the sink caught up is in the series
        JsonNode consumed = drained.path("series").path("groups").path(SINK).path("consume_rate");
        assertThat(streamMax(consumed)).as("consume rate series %s", consumed).isPositive();
    }

    @Test
    void theReportNeedsATokenWithOpsReadOrAdmin() {
        Http anonymous = new Http(node.httpPort(), "not-a-token");
        assertThat(anonymous.get("/v0/ops").statusCode()).isEqualTo(401);
        assertThat(http.get("/v0/ops").statusCode()).isEqualTo(200);
        HttpResponse<String> page = anonymous.get("/ops");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("/v0/ops").doesNotContain("<script src").doesNotContain("<link").doesNotContain("https://");
    }

    private static double streamMax(JsonNode values) {
        double max = 0;
        for (JsonNode v : values) {
            max = Math.max(max, v.asDouble());
        }
        return max;
    }

    /** {@code count} page_view events as NDJSON, ids from {@code first}, spread over 37 customers (so over every partition). */
    static String events(int first, int count) {
        return IntStream.range(first, first + count)
                .mapToObj(i -> "{\"event_id\":\"ops-" + i + "\",\"customer_id\":\"cust-" + (i % 37) + "\",\"event_type\":\"page_view\","
                        + "\"event_timestamp\":\"2023-06-15 14:30:45\"}")
                .collect(Collectors.joining("\n"));
    }

    private JsonNode awaitOps(String what, Predicate<JsonNode> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JsonNode ops = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.get("/v0/ops");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            ops = Http.json(response);
            if (condition.test(ops)) {
                return ops;
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        throw new AssertionError("timed out waiting for " + what + "; last /v0/ops: " + ops);
    }

    private long metricLag() {
        Matcher m = LAG_METRIC.matcher(http.get("/metrics").body());
        double sum = 0;
        int partitions = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
            partitions++;
        }
        assertThat(partitions).as("tributary_consumer_lag_records series of " + SINK).isEqualTo(3);
        return (long) sum;
    }

    private static JsonNode group(JsonNode ops, String name) {
        for (JsonNode g : ops.path("groups")) {
            if (g.path("group").asText().equals(name)) {
                return g;
            }
        }
        throw new AssertionError("no group " + name + " in " + ops);
    }

    private static java.util.List<JsonNode> partitions(JsonNode ops, String name) {
        java.util.List<JsonNode> list = new java.util.ArrayList<>();
        group(ops, name).path("partitions").forEach(list::add);
        return list;
    }

    private static long totalLag(JsonNode ops, String name) {
        return group(ops, name).path("lag").asLong();
    }

    private static long endOffsets(JsonNode ops, String name) {
        return partitions(ops, name).stream().mapToLong(p -> p.path("end_offset").asLong()).sum();
    }
}
