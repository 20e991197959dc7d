package io.tributary.platform.http;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per key (a token id): each key may make {@code burst} calls at once and regains
 * {@code ratePerSecond} calls a second. Per process: with N processes behind a balancer a key gets
 * up to N times the rate. Used by seed 004's upload (its own, stricter bucket) and by every other
 * write route ({@code --write-rate-per-second}, {@code --write-burst}).
 */
public final class TokenBucketLimiter {
    private record Bucket(double tokens, long atNanos) {
    }

    private final double capacity;
    private final double perNano;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public TokenBucketLimiter(double ratePerSecond, int burst, LongSupplier nanoTime) {
        if (ratePerSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate must be positive and burst at least 1");
        }
        this.capacity = burst;
        this.perNano = ratePerSecond / 1e9;
        this.nanoTime = nanoTime;
    }

    public static TokenBucketLimiter perMinute(int ratePerMinute, int burst, LongSupplier nanoTime) {
        return new TokenBucketLimiter(ratePerMinute / 60.0, burst, nanoTime);
    }

    /** Takes one call from the key's bucket: empty when allowed, else how long until one is available. */
    public Optional<Duration> take(String key) {
        long now = nanoTime.getAsLong();
        Duration[] wait = {null};
        buckets.compute(key, (k, bucket) -> {
            double tokens = bucket == null ? capacity : Math.min(capacity, bucket.tokens() + (now - bucket.atNanos()) * perNano);
            if (tokens >= 1) {
                wait[0] = null;
                return new Bucket(tokens - 1, now);
            }
            wait[0] = Duration.ofNanos((long) Math.ceil((1 - tokens) / perNano));
            return new Bucket(tokens, now);
        });
        return Optional.ofNullable(wait[0]);
    }

    /** As {@link #take}, throwing 429 {@code TOO_MANY_REQUESTS} with {@code Retry-After} (whole seconds, at least 1) when the bucket is empty. */
    public void takeOrThrow(String key, String what) {
        Optional<Duration> wait = take(key);
        if (wait.isPresent()) {
            int seconds = (int) Math.max(1, (wait.get().toMillis() + 999) / 1000);
            throw new ApiException(429, "TOO_MANY_REQUESTS", what + ": retry in " + seconds + " s", List.of(), Optional.of(seconds));
        }
    }
}
