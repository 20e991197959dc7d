package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.platform.testing.TestFiles;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged launcher as users run it (`java -jar tributary.jar up`, what ./tributary execs):
 * it serves, generates and prints an admin token once, and after SIGTERM and a restart on the
 * same data dir every event is still there, none doubled, and the registry answers the same ids.
 */
class LauncherRestartIT {
    private static final Pattern TOKEN = Pattern.compile("^\\s+(trb_[A-Za-z0-9]{40})\\s*$", Pattern.MULTILINE);
    private static final String SEED_EVENT = """
            {
              "event_id": "ev-12345",
              "customer_id": "cust-789",
              "event_type": "purchase",
              "event_timestamp": "2023-06-15 14:30:45",
              "session_id": "sess-456",
              "page_url": "https://example.com/product/123",
              "product_id": "prod-123",
              "category_id": "cat-456",
              "price": 49.99,
              "quantity": 1,
              "device_type": "mobile",
              "country": "US",
              "referrer": "google.com",
              "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 13_2_3 like Mac OS X)"
            }""";

    private Path dataDir;

    @AfterEach
    void cleanUp() {
        TestFiles.deleteRecursively(dataDir);
    }

    @Test
    void restartOnTheSameDataDirKeepsEveryEventOnceAndTheSameSchemaIds() throws Exception {
        dataDir = Files.createTempDirectory("tributary-restart-");
        String batch = batch(500);
        String token;
        int schemaId;
        List<String> activityBefore;
        try (LauncherProcess first = LauncherProcess.up(dataDir, Map.of())) {
            System.out.printf("tributary up (first start, empty data dir) ready in %.1f s%n", first.startedIn.toMillis() / 1000.0);
            Matcher m = TOKEN.matcher(first.output());
            assertThat(m.find()).as("a generated admin token is printed at first start:\n%s", first.output()).isTrue();
            token = m.group(1);
            Http http = new Http(first.httpPort, token);

            HttpResponse<String> seed = http.post("/v0/events?name=customer_events&wait=true", SEED_EVENT);
            assertThat(seed.statusCode()).as(seed.body()).isEqualTo(200);
            assertThat(Http.json(seed).get("successful_rows").asInt()).isEqualTo(1);
            assertThat(http.post("/v0/events?name=customer_events&wait=true", batch).statusCode()).isEqualTo(200);

            JsonNode seedRow = Http.json(http.get("/v0/pipes/customer_activity.json?customer_id=cust-789")).get("data").get(0);
            assertThat(seedRow.get("event_id").asText()).isEqualTo("ev-12345");
            assertThat(seedRow.get("price").decimalValue()).isEqualByComparingTo("49.99");
            activityBefore = activity(http);
            assertThat(activityBefore).hasSize(501);
            schemaId = Http.json(http.get("/schema-registry/subjects/customer_events-value/versions/1")).get("id").asInt();
            assertThat(first.stop()).as("exit code after SIGTERM").isIn(0, 143);
        }

        try (LauncherProcess second = LauncherProcess.up(dataDir, Map.of())) {
            System.out.printf("tributary up (restart) ready in %.1f s%n", second.startedIn.toMillis() / 1000.0);
            assertThat(TOKEN.matcher(second.output()).find()).as("the admin token is printed only once").isFalse();
            Http http = new Http(second.httpPort, token);
            assertThat(activity(http)).as("every event still there, none doubled").isEqualTo(activityBefore);
            JsonNode v1 = Http.json(http.get("/schema-registry/subjects/customer_events-value/versions/1"));
            assertThat(v1.get("id").asInt()).isEqualTo(schemaId);
            assertThat(Http.json(http.get("/schema-registry/subjects/customer_events-value/versions")).size()).isEqualTo(1);

            // the same events again (a client retrying after the restart): still none doubled
            assertThat(http.post("/v0/events?name=customer_events&wait=true", SEED_EVENT + "\n").statusCode()).isEqualTo(200);
            assertThat(http.post("/v0/events?name=customer_events&wait=true", batch).statusCode()).isEqualTo(200);
            assertThat(activity(http)).isEqualTo(activityBefore);
            assertThat(http.get("/metrics").body()).contains("tributary_ingest_rows_total{datasource=\"customer_events\",result=\"accepted\"} 501.0");
        }
    }

    private static String batch(int n) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < n; i++) {
            body.append("{\"event_id\":\"r-").append(i).append("\",\"customer_id\":\"restart-").append(i % 7)
                    .append("\",\"event_type\":\"page_view\",\"event_timestamp\":\"2023-07-01 10:00:").append(String.format("%02d", i % 60))
                    .append("\"}\n");
        }
        return body.toString();
    }

    /** Every event id the pipe returns for the test's customers, in the pipe's order. */
    private static List<String> activity(Http http) {
        List<String> ids = new ArrayList<>();
        for (String customer : List.of("cust-789", "restart-0", "restart-1", "restart-2", "restart-3", "restart-4", "restart-5", "restart-6")) {
            HttpResponse<String> r = http.get("/v0/pipes/customer_activity.json?customer_id=" + customer + "&limit=1000");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            Http.json(r).get("data").forEach(row -> ids.add(row.get("event_id").asText()));
        }
        return ids;
    }
}
