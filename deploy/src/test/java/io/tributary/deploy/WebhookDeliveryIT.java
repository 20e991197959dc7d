package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.platform.config.Setting;
import io.tributary.platform.testing.WebhookReceiver;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Seed 004's webhook end to end on a real node: a workspace's upload is scored, the health-score
 * application writes its notification, and the processors role's webhook dispatcher POSTs it to
 * the workspace's webhook (a JDK HTTP server here), retrying with backoff (1 s, 2 s, …) until a
 * 2xx or {@code --webhook-attempts} (3 on this node) attempts have failed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookDeliveryIT {
    private static final int ATTEMPTS = 3;
    /** Longer than the wait before a fourth attempt (4 s), which a node with 3 attempts never makes. */
    private static final long NO_FOURTH_CALL_MS = 5_000;
    private static final String UPLOAD = """
            {"customers": [
              {"external_id": "c-1", "name": "One", "metrics": [{"date": "2024-04-29", "logins": 30}]},
              {"external_id": "c-2", "name": "Two", "metrics": [{"date": "2024-04-29", "logins": 3}]}]}""";

    private NodeWithTokens running;

    @BeforeAll
    void startNode() throws Exception {
        running = NodeWithTokens.start("tributary-webhooks-", Map.of(Setting.WEBHOOK_ATTEMPTS, Integer.toString(ATTEMPTS)));
    }

    @AfterAll
    void stopNode() {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void aFailingWebhookIsCalledAgainWithBackoffAndTheSameDeliveryIdUntilItAnswers2xx() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start(n -> n <= 2 ? 500 : 200)) {
            configure("ws-hook-ok", receiver.url());
            String uploadId = upload("ws-hook-ok");

            Await.until("three calls of the webhook", () -> receiver.calls().size() >= 3);
            Thread.sleep(NO_FOURTH_CALL_MS);
            List<WebhookReceiver.Call> calls = receiver.calls();
            assertThat(calls).as("delivered on the third attempt, then no more").hasSize(3);
            assertThat(calls).extracting(c -> c.header("X-Tributary-Attempt")).containsExactly("1", "2", "3");
            assertThat(calls).extracting(c -> c.header("X-Tributary-Delivery")).containsOnly(uploadId);
            assertThat(calls).extracting(WebhookReceiver.Call::body).containsOnly(calls.get(0).body());
            assertThat(calls.get(0).header("Content-Type")).isEqualTo("application/json");
            assertThat(Duration.between(calls.get(0).at(), calls.get(1).at())).isBetween(Duration.ofMillis(950), Duration.ofMillis(2900));
            assertThat(Duration.between(calls.get(1).at(), calls.get(2).at())).isBetween(Duration.ofMillis(1950), Duration.ofMillis(3900));

            JsonNode body = Http.json(calls.get(0).body());
            assertThat(fieldNames(body)).containsExactly("id", "kind", "workspace_id", "upload_id", "customers", "recipients", "message",
                    "created_at");
            assertThat(body.get("id").asText()).isEqualTo(uploadId);
            assertThat(body.get("kind").asText()).isEqualTo("upload_scored");
            assertThat(body.get("workspace_id").asText()).isEqualTo("ws-hook-ok");
            assertThat(body.get("upload_id").asText()).isEqualTo(uploadId);
            assertThat(body.get("customers").asInt()).isEqualTo(2);
            assertThat(body.get("recipients").toString()).isEqualTo("[\"ops@example.com\"]");
            assertThat(body.get("message").asText()).contains("2 customers").contains(uploadId);

            // the same notification as the API lists
            Http reader = running.issue("ws-hook-ok", "/api/v1/notifications", "analytics:read");
            JsonNode listed = Http.json(reader.get("/api/v1/notifications")).get("data").get(0);
            assertThat(listed.get("id").asText()).isEqualTo(uploadId);
            assertThat(listed.get("created_at").asText()).isEqualTo(body.get("created_at").asText());
            assertThat(deliveries("delivered")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void aWebhookThatNeverAnswers2xxIsGivenUpAfterTheConfiguredAttempts() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start(n -> 500)) {
            configure("ws-hook-down", receiver.url());
            String uploadId = upload("ws-hook-down");

            Await.until("three calls of the webhook", () -> receiver.calls().size() >= ATTEMPTS);
            Thread.sleep(NO_FOURTH_CALL_MS);
            assertThat(receiver.calls()).extracting(c -> c.header("X-Tributary-Delivery") + "#" + c.header("X-Tributary-Attempt"))
                    .containsExactly(uploadId + "#1", uploadId + "#2", uploadId + "#3");
            assertThat(deliveries("failed")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void aWorkspaceWhoseWebhookWasRemovedGetsNoCall() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start(n -> 200)) {
            Http admin = configure("ws-hook-removed", receiver.url());
            ok(admin.request("DELETE", "/api/v1/webhook", null, null));
            String uploadId = upload("ws-hook-removed");

            Http reader = running.issue("ws-hook-removed", "/api/v1/notifications", "analytics:read");
            Await.until("the upload's notification", () -> Http.json(reader.get("/api/v1/notifications")).path("total").asInt() == 1);
            assertThat(Http.json(reader.get("/api/v1/notifications")).get("data").get(0).get("id").asText()).isEqualTo(uploadId);
            Thread.sleep(2_000);
            assertThat(receiver.calls()).isEmpty();
        }
    }

    /** A workspace with one number metric, a scoring configuration, a member and {@code webhook}; returns its admin client. */
    private Http configure(String workspace, String webhook) {
        Http admin = running.issue(workspace, "/api/v1/settings", "admin");
        ok(admin.request("PUT", "/api/v1/metrics/logins", "{\"type\":\"number\"}", "application/json"));
        ok(admin.request("PUT", "/api/v1/scoring", """
                {"components": [{"source": "metric", "codename": "logins", "normalisation": "thresholds", "thresholds": [0, 50]}]}""",
                "application/json"));
        ok(admin.request("PUT", "/api/v1/members/ops@example.com", "{\"name\":\"Ops\"}", "application/json"));
        ok(admin.request("PUT", "/api/v1/webhook", "{\"url\":\"" + webhook + "\"}", "application/json"));
        assertThat(Http.json(admin.get("/api/v1/settings")).get("webhook_url").asText()).isEqualTo(webhook);
        return admin;
    }

    /** Uploads {@link #UPLOAD} with a new customers:upload key of {@code workspace}; returns the upload id. */
    private String upload(String workspace) {
        String key = running.issueToken(workspace, "customers:upload");
        Http anonymous = running.operator().withToken(null);
        Map<String, String> headers = Map.of("Content-Type", "application/json", "customerscore-key", key);
        Await.until("the node to know the new key", () -> anonymous.requestWithHeaders("POST", "/api/v1/customers", "not json", headers)
                .statusCode() != 403);
        HttpResponse<String> r = anonymous.requestWithHeaders("POST", "/api/v1/customers", UPLOAD, headers);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Http.json(r).get("upload_id").asText();
    }

    /** tributary_webhook_deliveries_total{outcome=...} as the node's /metrics shows it. */
    private double deliveries(String outcome) {
        String prefix = "tributary_webhook_deliveries_total{outcome=\"" + outcome + "\"";
        return running.operator().get("/metrics").body().lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.request().method() + " " + r.uri() + ": " + r.body()).isEqualTo(200);
    }
}
