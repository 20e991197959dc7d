package io.tributary.query.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Short-lived snapshots of heavy reads (seed 003: cohorts, ltv-cohorts, journey, attribution): a
 * repeat of the same query within {@code ttl} is answered from the snapshot, and the caller tells
 * its client whether it was (X-Cache) and how old the snapshot is (Age). Keys carry whatever must
 * invalidate an entry: a customer's journey is keyed by the customer's updated_at, so a write to
 * the customer makes the next read a miss. At most {@code maxEntries} snapshots are kept; when
 * full, the oldest are dropped first. Two concurrent misses of one key may both compute it.
 */
public final class SnapshotCache<K, V> {
    /** What a lookup gave: the value, whether it came from a snapshot, and that snapshot's age. */
    public record Lookup<V>(V value, boolean hit, Duration age) {
    }

    private record Snapshot<V>(V value, long takenNanos) {
    }

    private final Duration ttl;
    private final int maxEntries;
    private final LongSupplier nanoClock;
    private final Map<K, Snapshot<V>> snapshots = new ConcurrentHashMap<>();
    private final Counter hits;
    private final Counter misses;

    public SnapshotCache(String name, Duration ttl, int maxEntries, MeterRegistry metrics, LongSupplier nanoClock) {
        this.ttl = Objects.requireNonNull(ttl);
        this.maxEntries = maxEntries;
        this.nanoClock = Objects.requireNonNull(nanoClock);
        this.hits = Counter.builder("tributary.snapshot.cache.requests").tags("cache", name, "result", "hit")
                .description("Snapshot cache lookups by result; hit ratio = hit / (hit + miss)").register(metrics);
        this.misses = Counter.builder("tributary.snapshot.cache.requests").tags("cache", name, "result", "miss").register(metrics);
    }

    public Lookup<V> get(K key, Supplier<V> compute) {
        long now = nanoClock.getAsLong();
        Snapshot<V> snapshot = snapshots.get(key);
        if (snapshot != null && now - snapshot.takenNanos() < ttl.toNanos()) {
            hits.increment();
            return new Lookup<>(snapshot.value(), true, Duration.ofNanos(now - snapshot.takenNanos()));
        }
        misses.increment();
        V value = compute.get(); // a failed computation leaves no snapshot
        snapshots.put(key, new Snapshot<>(value, now));
        if (snapshots.size() > maxEntries) {
            evict(now);
        }
        return new Lookup<>(value, false, Duration.ZERO);
    }

    public int size() {
        return snapshots.size();
    }

    private void evict(long now) {
        snapshots.entrySet().removeIf(e -> now - e.getValue().takenNanos() >= ttl.toNanos());
        int over = snapshots.size() - maxEntries;
        if (over > 0) {
            snapshots.entrySet().stream().sorted(Comparator.comparingLong(e -> e.getValue().takenNanos())).limit(over)
                    .map(Map.Entry::getKey).toList().forEach(snapshots::remove);
        }
    }
}
