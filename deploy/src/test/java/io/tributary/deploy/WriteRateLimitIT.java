package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.platform.config.Setting;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each token's writes are limited by its own bucket (--write-burst, --write-rate-per-second): 429 with Retry-After. */
class WriteRateLimitIT {
    @Test
    void aTokenOverItsWriteBurstGets429WithRetryAfterAndOtherTokensAreUnaffected() throws Exception {
        try (NodeWithTokens running = NodeWithTokens.start("tributary-ratelimit-",
                Map.of(Setting.WRITE_BURST, "3", Setting.WRITE_RATE_PER_SECOND, "1"))) {
            Http a = running.issue("ws-rate", "/v0/pipes", "events:append", "pipes:read");
            Http b = running.issue("ws-rate", "/v0/pipes", "events:append", "pipes:read");
            String body = "{\"event_id\":\"e1\",\"customer_id\":\"c\",\"event_type\":\"page_view\",\"event_timestamp\":\"2024-01-02 03:04:05\"}";
            int created = 0;
            HttpResponse<String> limited = null;
            for (int i = 0; i < 6 && limited == null; i++) {
                HttpResponse<String> r = a.post("/v0/events?name=customer_events", body);
                if (r.statusCode() == 429) {
                    limited = r;
                } else {
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                    created++;
                }
            }
            System.out.println("write burst 3: created " + created + ", then " + (limited == null ? "no 429" : limited.statusCode()
                    + " Retry-After " + limited.headers().firstValue("Retry-After").orElse("-") + " " + limited.body()));
            assertThat(limited).as("a 429 within the burst + a few").isNotNull();
            assertThat(created).isEqualTo(3); // asynchronous appends take milliseconds: none regained (1/s) meanwhile
            assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 2));
            assertThat(Http.json(limited).get("error").get("code").asText()).isEqualTo("TOO_MANY_REQUESTS");
            assertThat(a.get("/v0/pipes").statusCode()).as("reads are not limited").isEqualTo(200);
            assertThat(b.post("/v0/events?name=customer_events", body).statusCode())
                    .as("another token has its own bucket").isEqualTo(202);
            Thread.sleep(1100);
            assertThat(a.post("/v0/events?name=customer_events", body).statusCode())
                    .as("a write regained after Retry-After").isEqualTo(202);
        }
    }
}
