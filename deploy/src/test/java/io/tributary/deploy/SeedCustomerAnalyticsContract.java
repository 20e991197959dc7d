package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.platform.config.Setting;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Seed 002 end to end on a real node: the seed's own curl examples, and segment membership that
 * follows events, profiles and rule changes through Kafka Streams into the store and the pipes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SeedCustomerAnalyticsContract {
    private TestNodes.TempNode running;
    private TributaryNode node;
    private Http http;

    protected abstract Map<Setting, String> storeSettings() throws Exception;

    @BeforeAll
    void startNode() throws Exception {
        running = TestNodes.startInTempDir("tributary-seed002-", storeSettings());
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
    void theSeedsCurlExamplesRunAsWrittenAndReturnTheSeedsShapes() throws Exception {
        Optional<Path> seed = SeedCurlExamples.seed("002_");
        assumeTrue(seed.isPresent(), "seed 002 not found: ../shared/seeds/ is not beside the repository");
        List<String> curls = SeedCurlExamples.curls(seed.get());
        assertThat(curls).hasSize(9); // three data sources, six endpoints
        String base = "http://127.0.0.1:" + node.httpPort();

        for (String post : curls.subList(0, 3)) {
            SeedCurlExamples.CommandResult r = SeedCurlExamples.run(post, base, TestNodes.ADMIN_TOKEN);
            assertThat(r.status()).as(r.command() + "\n" + r.body()).isEqualTo(202);
            assertThat(Http.json(r.body()).get("successful_rows").asInt()).isEqualTo(1);
        }
        // the seed's writes are asynchronous (no wait=true): wait until the event is queryable
        awaitTrue("the seed's event to be queryable", () -> Http.json(http.get("/v0/pipes/customer_activity.json?customer_id=cust-789"))
                .get("rows").asInt() == 1);

        for (String get : curls.subList(3, 9)) {
            SeedCurlExamples.CommandResult r = SeedCurlExamples.run(get, base, TestNodes.ADMIN_TOKEN);
            assertThat(r.status()).as(r.command() + "\n" + r.body()).isEqualTo(200);
            JsonNode json = Http.json(r.body());
            assertThat(json.fieldNames()).toIterable().containsExactly("meta", "data", "rows", "rows_before_limit_at_least", "statistics");
            assertThat(json.get("meta")).allSatisfy(m -> assertThat(m.fieldNames()).toIterable().containsExactly("name", "type"));
            assertThat(json.get("statistics").fieldNames()).toIterable().containsExactly("elapsed", "rows_read", "bytes_read");
            assertThat(json.get("rows").asInt()).isEqualTo(json.get("data").size());
        }
        JsonNode purchases = Http.json(SeedCurlExamples.run(curls.get(3), base, TestNodes.ADMIN_TOKEN).body());
        assertThat(purchases.get("data").get(0).get("event_id").asText()).isEqualTo("ev-12345");
    }

    @Test
    void aRuleThatDoesNotParseIsRefusedWithItsPosition() {
        HttpResponse<String> r = http.post("/v0/events?name=customer_segments",
                "{\"segment_id\":\"seg-bad\",\"segment_name\":\"Bad\",\"segment_rules\":\"total_spent > AND session_count > 10\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode detail = Http.json(r).get("error").get("details").get(0);
        assertThat(detail.get("field").asText()).isEqualTo("segment_rules");
        assertThat(detail.get("message").asText()).contains("position 15");
    }

    @Test
    void membershipFollowsEventsProfilesAndRuleChanges() throws Exception {
        post("customer_segments", "{\"segment_id\":\"seg-browsers\",\"segment_name\":\"Browsers\",\"segment_rules\":\"events.page_view >= 3\"}");
        post("customer_segments", "{\"segment_id\":\"seg-named\",\"segment_name\":\"Named\",\"segment_rules\":\"age > 150\"}");
        for (String customer : List.of("m-1", "m-2", "m-3")) {
            for (int i = 0; i < 2; i++) {
                pageView(customer, customer + "-pv-" + i);
            }
        }
        pageView("m-4", "m-4-pv-0");
        Thread.sleep(500);
        assertThat(members("Browsers")).isEmpty();

        // an event makes the rule true
        long posted = System.nanoTime();
        postAccepted("customer_events", pageViewJson("m-1", "m-1-pv-2"));
        awaitTrue("m-1 to enter Browsers", () -> members("Browsers").equals(Set.of("m-1")));
        System.out.printf("accepted event → member of segment (visible in segment_customers): %d ms%n", (System.nanoTime() - posted) / 1_000_000);

        // a profile naming the segment places the customer in it; changing the profile takes them out
        posted = System.nanoTime();
        postAccepted("customer_profiles", "{\"customer_id\":\"m-4\",\"age\":30,\"country\":\"US\",\"customer_segment\":\"Named\"}");
        awaitTrue("m-4 to enter Named via its profile", () -> members("Named").equals(Set.of("m-4")));
        System.out.printf("accepted profile → member of segment: %d ms%n", (System.nanoTime() - posted) / 1_000_000);
        post("customer_profiles", "{\"customer_id\":\"m-4\",\"age\":30,\"country\":\"US\",\"customer_segment\":\"Other\"}");
        awaitTrue("m-4 to leave Named", () -> members("Named").isEmpty());

        // a profile change that makes a rule true
        post("customer_profiles", "{\"customer_id\":\"m-2\",\"age\":151}");
        awaitTrue("m-2 to enter Named by rule", () -> members("Named").equals(Set.of("m-2")));

        // a rule change re-evaluates every customer, in both directions
        posted = System.nanoTime();
        postAccepted("customer_segments", "{\"segment_id\":\"seg-browsers\",\"segment_name\":\"Browsers\",\"segment_rules\":\"events.page_view >= 2\"}");
        awaitTrue("m-1, m-2, m-3 in Browsers", () -> members("Browsers").equals(Set.of("m-1", "m-2", "m-3")));
        System.out.printf("accepted rule change → every matching customer in segment: %d ms%n", (System.nanoTime() - posted) / 1_000_000);
        post("customer_segments", "{\"segment_id\":\"seg-browsers\",\"segment_name\":\"Browsers\",\"segment_rules\":\"events.page_view >= 100\"}");
        awaitTrue("everyone to leave Browsers", () -> members("Browsers").isEmpty());
    }

    private void post(String datasource, String row) {
        HttpResponse<String> r = http.post("/v0/events?name=" + datasource + "&wait=true", row);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** Timed posts do not wait for their own sink: the figure is accepted row → membership visible in the pipe. */
    private void postAccepted(String datasource, String row) {
        HttpResponse<String> r = http.post("/v0/events?name=" + datasource, row);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    private void pageView(String customer, String eventId) {
        post("customer_events", pageViewJson(customer, eventId));
    }

    private static String pageViewJson(String customer, String eventId) {
        return "{\"event_id\":\"" + eventId + "\",\"customer_id\":\"" + customer
                + "\",\"event_type\":\"page_view\",\"event_timestamp\":\"2023-06-15 14:30:45\",\"session_id\":\"s-" + eventId + "\"}";
    }

    private Set<String> members(String segmentName) {
        HttpResponse<String> r = http.get("/v0/pipes/segment_customers.json?segment_name=" + Http.encode(segmentName));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Set<String> out = new TreeSet<>();
        Http.json(r).get("data").forEach(row -> out.add(row.get("customer_id").asText()));
        return out;
    }

    private static void awaitTrue(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out after 30 s waiting for " + what);
            }
            Thread.sleep(25);
        }
    }
}
