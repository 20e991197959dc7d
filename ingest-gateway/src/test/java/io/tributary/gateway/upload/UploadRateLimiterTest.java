package io.tributary.gateway.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UploadRateLimiterTest {
    @Test
    void aKeyMayUseItsBurstThenRegainsUploadsAtTheRate() {
        AtomicLong now = new AtomicLong(0);
        UploadRateLimiter limiter = new UploadRateLimiter(60, 3, now::get); // one a second, three at once
        assertThat(limiter.take("k")).isEmpty();
        assertThat(limiter.take("k")).isEmpty();
        assertThat(limiter.take("k")).isEmpty();
        assertThat(limiter.take("k")).contains(Duration.ofSeconds(1));
        assertThat(limiter.take("other")).as("each key has its own bucket").isEmpty();
        now.addAndGet(Duration.ofMillis(400).toNanos());
        assertThat(limiter.take("k").orElseThrow()).isEqualTo(Duration.ofMillis(600));
        now.addAndGet(Duration.ofMillis(600).toNanos());
        assertThat(limiter.take("k")).isEmpty();
        now.addAndGet(Duration.ofHours(1).toNanos());
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.take("k")).as("refilled to the burst, not beyond").isEmpty();
        }
        assertThat(limiter.take("k")).isPresent();
    }

    @Test
    void acceptHeadersThatAdmitJson() {
        assertThat(CustomerUploadRoutes.acceptsJson(null)).isTrue();
        assertThat(CustomerUploadRoutes.acceptsJson("")).isTrue();
        assertThat(CustomerUploadRoutes.acceptsJson("*/*")).isTrue();
        assertThat(CustomerUploadRoutes.acceptsJson("application/json")).isTrue();
        assertThat(CustomerUploadRoutes.acceptsJson("text/html, application/*;q=0.2")).isTrue();
        assertThat(CustomerUploadRoutes.acceptsJson("Application/JSON; charset=utf-8")).isTrue();
        assertThat(CustomerUploadRoutes.acceptsJson("text/html")).isFalse();
        assertThat(CustomerUploadRoutes.acceptsJson("application/json;q=0")).isFalse();
        assertThat(CustomerUploadRoutes.acceptsJson("application/xml, text/*")).isFalse();
    }
}
