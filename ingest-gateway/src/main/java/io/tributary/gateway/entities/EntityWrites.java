package io.tributary.gateway.entities;

import io.tributary.platform.auth.Tokens;
import io.tributary.platform.http.ApiException;
import io.tributary.platform.http.ErrorDetail;
import io.tributary.platform.http.RequestFields;
import io.tributary.platform.kafka.CompactedTopicTable;
import io.tributary.platform.kafka.ConsumerGroupProgress;
import io.tributary.platform.kafka.ConsumerGroups;
import io.tributary.schemas.Topics;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Creates, updates and deletes one resource's entities by writing whole records (or tombstones) to
 * its compacted topic, then waits, bounded, until the store sink has applied the write, so that the
 * next read sees it (DESIGN.md §6).
 *
 * <p>The current state comes from an in-memory view of the topic ({@link CompactedTopicTable}),
 * brought up to the topic's end before each update, so a partial update merges into the latest
 * version any process wrote. Writes to one key are serialised within this gateway, so concurrent
 * partial updates here never lose each other's fields; across gateways, the whole records they
 * write are ordered by Kafka and the last one wins everywhere. The workspace is part of the key:
 * another workspace's id is simply not found (404).
 */
final class EntityWrites<T extends SpecificRecord> {
    static final int MAX_NAME_CHARS = 255;
    static final int MAX_TEXT_CHARS = 16_384;
    static final int ID_LENGTH = 16;
    private static final int RETRY_AFTER_SECONDS = 5;
    private static final int LOCK_STRIPES = 64;

    /** The entity's id, the API's view of what was written, and whether the store applied it within the wait. */
    record Written(String id, Object view, boolean visible) {
    }

    /** A record and where Kafka stored it. */
    private record Put<T>(T record, RecordMetadata at) {
    }

    private final EntityCodec<T> codec;
    private final CompactedTopicTable<String, T> table;
    private final ConsumerGroupProgress sinkProgress;
    private final Duration waitTimeout;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];

    EntityWrites(EntityCodec<T> codec, CompactedTopicTable<String, T> table, ConsumerGroupProgress sinkProgress,
                 Duration waitTimeout, Clock clock) {
        this.codec = Objects.requireNonNull(codec);
        this.table = Objects.requireNonNull(table);
        this.sinkProgress = Objects.requireNonNull(sinkProgress);
        this.waitTimeout = Objects.requireNonNull(waitTimeout);
        this.clock = Objects.requireNonNull(clock);
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    EntityCodec<T> codec() {
        return codec;
    }

    Written create(String workspaceId, RequestFields fields) {
        fields.allowOnly(codec.createFields()).require(codec.createFields());
        checkLengths(fields);
        String id = newId(workspaceId);
        T record = codec.create().apply(workspaceId, id, fields, clock.instant());
        String key = Topics.key(workspaceId, id);
        return visibleAfter(id, codec.view().apply(record), locked(key, () -> kafka(() -> table.put(key, record))));
    }

    Written update(String workspaceId, String id, RequestFields fields) {
        fields.allowOnly(codec.updateFields()).notBlankWhenPresent(codec.updateFields());
        if (fields.isEmpty()) {
            throw ApiException.badRequest("the body names no field to update; send at least one of " + String.join(", ", codec.updateFields()),
                    codec.updateFields().stream().map(f -> ErrorDetail.field(f, "may be updated")).toList());
        }
        checkLengths(fields);
        String key = Topics.key(workspaceId, id);
        // Only the read-merge-write is serialised; waiting for the store happens outside the lock.
        Put<T> put = locked(key, () -> {
            T next = codec.update().apply(current(key, id), fields, clock.instant());
            return new Put<>(next, kafka(() -> table.put(key, next)));
        });
        return visibleAfter(id, codec.view().apply(put.record()), put.at());
    }

    /** Deletes permanently; visible says whether the store dropped it within the wait. */
    boolean delete(String workspaceId, String id) {
        String key = Topics.key(workspaceId, id);
        RecordMetadata at = locked(key, () -> {
            current(key, id);
            return kafka(() -> table.remove(key));
        });
        return visibleAfter(id, null, at).visible();
    }

    private String newId(String workspaceId) {
        while (true) {
            String id = Tokens.randomAlphanumeric(random, ID_LENGTH);
            if (table.get(Topics.key(workspaceId, id)).isEmpty()) {
                return id;
            }
        }
    }

    /** The latest version of {@code key}, after catching up with every write made so far by any process; 404 if none. */
    private T current(String key, String id) {
        kafka(() -> {
            table.readToEnd();
            return null;
        });
        return table.get(key).orElseThrow(() -> ApiException.notFound("no " + codec.noun() + " with id '" + id + "'"));
    }

    private void checkLengths(RequestFields fields) {
        List<ErrorDetail> problems = codec.maxChars().entrySet().stream()
                .filter(limit -> fields.get(limit.getKey()).map(v -> v.length() > limit.getValue()).orElse(false))
                .map(limit -> ErrorDetail.field(limit.getKey(), "is longer than " + limit.getValue() + " characters"))
                .sorted(java.util.Comparator.comparing(ErrorDetail::field))
                .toList();
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("field" + (problems.size() == 1 ? " is" : "s are") + " too long: "
                    + String.join(", ", problems.stream().map(ErrorDetail::field).toList()), problems);
        }
    }

    private Written visibleAfter(String id, Object view, RecordMetadata at) {
        boolean visible = sinkProgress.committedWithin(ConsumerGroups.sink(codec.topic()),
                Map.of(new TopicPartition(at.topic(), at.partition()), at.offset() + 1), waitTimeout);
        return new Written(id, view, visible);
    }

    private <R> R locked(String key, Supplier<R> work) {
        ReentrantLock lock = locks[Math.floorMod(key.hashCode(), locks.length)];
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /** Runs a Kafka write or read-back; Kafka's failure to answer becomes 503 with Retry-After (nothing was acknowledged). */
    private static <R> R kafka(Supplier<R> call) {
        try {
            return call.get();
        } catch (KafkaException e) {
            throw ApiException.serviceUnavailable("Kafka did not answer in time (" + e.getClass().getSimpleName() + "): a write"
                    + " may or may not have been applied; read the resource, then retry", RETRY_AFTER_SECONDS);
        }
    }
}
