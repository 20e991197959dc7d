package io.tributary.gateway.entities;

import io.tributary.platform.kafka.CompactedTopicTable;
import io.tributary.platform.kafka.ConsumerGroupProgress;
import io.tributary.platform.kafka.ConsumerGroups;
import io.tributary.platform.kafka.KafkaCalls;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What every gateway write of a compacted-topic entity needs: this gateway's view of the topic
 * ({@link CompactedTopicTable}, brought to the topic's end before a read-modify-write), per-key
 * locks so that read-modify-writes of one key through this gateway never interleave, whole-record
 * writes with {@code acks=all}, and the bounded wait until the store sink applied a write
 * (read-your-writes, DESIGN.md §6). Kafka not answering becomes 503 with Retry-After.
 */
public final class CompactedWrites<T> {
    private static final int LOCK_STRIPES = 64;

    private final CompactedTopicTable<String, T> table;
    private final String sinkGroup;
    private final ConsumerGroupProgress sinkProgress;
    private final Duration waitTimeout;
    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];

    public CompactedWrites(CompactedTopicTable<String, T> table, String topic, ConsumerGroupProgress sinkProgress, Duration waitTimeout) {
        this.table = Objects.requireNonNull(table);
        this.sinkGroup = ConsumerGroups.sink(topic);
        this.sinkProgress = Objects.requireNonNull(sinkProgress);
        this.waitTimeout = Objects.requireNonNull(waitTimeout);
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** The latest version of {@code key}, after catching up with every write made so far by any process. */
    public Optional<T> latest(String key) {
        catchUp();
        return table.get(key);
    }

    /** Brings the view up to the topic's end: afterwards it holds every write any process made before. */
    public void catchUp() {
        kafka(() -> {
            table.readToEnd();
            return null;
        });
    }

    /** The version this gateway's view holds now (no catching up). */
    public Optional<T> cached(String key) {
        return table.get(key);
    }

    public RecordMetadata put(String key, T record) {
        return kafka(() -> table.put(key, record));
    }

    /** Writes every entry, acknowledged together (one round trip for a bulk write). */
    public java.util.List<RecordMetadata> putAll(java.util.List<Map.Entry<String, T>> entries) {
        return kafka(() -> table.putAll(entries));
    }

    public RecordMetadata remove(String key) {
        return kafka(() -> table.remove(key));
    }

    /** Waits, bounded, until the store sink committed past {@code at}: whether the next read sees the write. */
    public boolean visible(RecordMetadata at) {
        return sinkProgress.committedWithin(sinkGroup, Map.of(new TopicPartition(at.topic(), at.partition()), at.offset() + 1), waitTimeout);
    }

    /** Runs {@code work} holding the lock of {@code lockKey} (striped: unrelated keys may share a lock, never interleave). */
    public <R> R locked(String lockKey, Supplier<R> work) {
        ReentrantLock lock = locks[Math.floorMod(lockKey.hashCode(), locks.length)];
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /** Runs a Kafka write or read-back; Kafka's failure to answer becomes 503 with Retry-After. */
    static <R> R kafka(Supplier<R> call) {
        return KafkaCalls.orUnavailable("the entity topic", call);
    }
}
