package io.tributary.gateway.upload;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per key (seed 004's 429): each key may upload {@code burst} times at once, and
 * regains {@code ratePerMinute} uploads a minute. Per gateway process: with N gateways behind a
 * balancer a key gets up to N times the rate.
 */
final class UploadRateLimiter {
    private record Bucket(double tokens, long atNanos) {
    }

    private final double capacity;
    private final double perNano;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    UploadRateLimiter(int ratePerMinute, int burst, LongSupplier nanoTime) {
        this.capacity = burst;
        this.perNano = ratePerMinute / 60e9;
        this.nanoTime = nanoTime;
    }

    /** Takes one upload from the key's bucket: empty when allowed, else how long until one is available. */
    Optional<Duration> take(String key) {
        long now = nanoTime.getAsLong();
        Optional<Duration>[] wait = new Optional[] {Optional.empty()};
        buckets.compute(key, (k, bucket) -> {
            double tokens = bucket == null ? capacity : Math.min(capacity, bucket.tokens() + (now - bucket.atNanos()) * perNano);
            if (tokens >= 1) {
                wait[0] = Optional.empty();
                return new Bucket(tokens - 1, now);
            }
            wait[0] = Optional.of(Duration.ofNanos((long) Math.ceil((1 - tokens) / perNano)));
            return new Bucket(tokens, now);
        });
        return wait[0];
    }
}
