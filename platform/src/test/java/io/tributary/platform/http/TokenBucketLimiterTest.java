package io.tributary.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketLimiterTest {
    @Test
    void aKeyMayUseItsBurstThenRegainsCallsAtTheRate() {
        AtomicLong now = new AtomicLong(0);
        TokenBucketLimiter limiter = TokenBucketLimiter.perMinute(60, 3, now::get); // one a second, three at once
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
    void perSecondRatesAndThe429() {
        AtomicLong now = new AtomicLong(0);
        TokenBucketLimiter limiter = new TokenBucketLimiter(200, 2, now::get); // one every 5 ms
        limiter.takeOrThrow("k", "too many writes");
        limiter.takeOrThrow("k", "too many writes");
        assertThat(limiter.take("k")).contains(Duration.ofMillis(5));
        assertThatThrownBy(() -> limiter.takeOrThrow("k", "too many writes"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.code()).isEqualTo("TOO_MANY_REQUESTS");
                    assertThat(e.retryAfterSeconds()).as("Retry-After is whole seconds, at least 1").contains(1);
                    assertThat(e.getMessage()).startsWith("too many writes: retry in 1 s");
                });
        now.addAndGet(Duration.ofMillis(5).toNanos());
        assertThat(limiter.take("k")).isEmpty();
    }
}
