package io.tributary.query.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SnapshotCacheTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final AtomicInteger computed = new AtomicInteger();

    private String compute() {
        return "value-" + computed.incrementAndGet();
    }

    @Test
    void aRepeatWithinTheTtlIsAHitWithItsAgeAndAfterItAMiss() {
        SnapshotCache<String, String> cache = new SnapshotCache<>("test", Duration.ofSeconds(30), 100, metrics, now::get);
        assertThat(cache.get("k", this::compute)).isEqualTo(new SnapshotCache.Lookup<>("value-1", false, Duration.ZERO));
        now.addAndGet(Duration.ofSeconds(12).toNanos());
        assertThat(cache.get("k", this::compute)).isEqualTo(new SnapshotCache.Lookup<>("value-1", true, Duration.ofSeconds(12)));
        assertThat(cache.get("other", this::compute).hit()).as("keys are separate").isFalse();
        now.addAndGet(Duration.ofSeconds(18).toNanos());
        assertThat(cache.get("k", this::compute)).as("30 s old: expired").isEqualTo(new SnapshotCache.Lookup<>("value-3", false, Duration.ZERO));
        assertThat(metrics.get("tributary.snapshot.cache.requests").tag("result", "hit").counter().count()).isEqualTo(1);
        assertThat(metrics.get("tributary.snapshot.cache.requests").tag("result", "miss").counter().count()).isEqualTo(3);
    }

    @Test
    void aFailedComputationLeavesNoSnapshotAndTheOldestGoFirstWhenFull() {
        SnapshotCache<String, String> cache = new SnapshotCache<>("test", Duration.ofSeconds(30), 2, metrics, now::get);
        assertThatThrownBy(() -> cache.get("k", () -> {
            throw new IllegalStateException("store down");
        })).hasMessage("store down");
        assertThat(cache.size()).isZero();
        for (String key : new String[] {"a", "b", "c"}) {
            cache.get(key, this::compute);
            now.addAndGet(1_000_000L);
        }
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get("b", this::compute).hit()).isTrue();
        assertThat(cache.get("a", this::compute).hit()).as("the oldest was dropped").isFalse();
    }

    @Test
    void aZeroTtlNeverHits() {
        SnapshotCache<String, String> cache = new SnapshotCache<>("test", Duration.ZERO, 10, metrics, now::get);
        cache.get("k", this::compute);
        assertThat(cache.get("k", this::compute).hit()).isFalse();
    }
}
