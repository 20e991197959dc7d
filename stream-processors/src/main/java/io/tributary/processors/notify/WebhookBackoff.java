package io.tributary.processors.notify;

import java.time.Duration;

/**
 * When a webhook call is tried again: the first attempt at once, the second 1 s after the first
 * failed, then doubling (2 s, 4 s, …) up to 60 s between attempts.
 */
public final class WebhookBackoff {
    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(60);

    private WebhookBackoff() {
    }

    /** The wait before attempt {@code attempt} (1-based): zero for the first. */
    public static Duration before(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1, got " + attempt);
        }
        if (attempt == 1) {
            return Duration.ZERO;
        }
        int doublings = attempt - 2;
        // 2^6 s already exceeds the cap; avoid shifting further
        return doublings >= 6 ? MAX : min(FIRST.multipliedBy(1L << doublings), MAX);
    }

    /** The longest one notification can take with {@code attempts} attempts of at most {@code callTimeout} each. */
    public static Duration worstCase(int attempts, Duration callTimeout) {
        Duration total = Duration.ZERO;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            total = total.plus(before(attempt)).plus(callTimeout);
        }
        return total;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
