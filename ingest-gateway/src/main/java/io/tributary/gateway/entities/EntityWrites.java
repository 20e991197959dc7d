package io.tributary.gateway.entities;

import io.tributary.platform.auth.Tokens;
import io.tributary.platform.http.ApiException;
import io.tributary.platform.http.ErrorDetail;
import io.tributary.platform.http.RequestFields;
import io.tributary.schemas.Topics;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Creates, updates and deletes one resource's entities by writing whole records (or tombstones) to
 * its compacted topic, then waits, bounded, until the store sink has applied the write, so that the
 * next read sees it (DESIGN.md §6).
 *
 * <p>A partial update merges into the latest version any process wrote (the view is read to the
 * topic's end first). Read-merge-writes of one key are serialised within this gateway, so
 * concurrent partial updates here never lose each other's fields; across gateways, the whole
 * records they write are ordered by Kafka and the last one wins everywhere. The workspace is part
 * of the key: another workspace's id is simply not found (404).
 */
final class EntityWrites<T extends SpecificRecord> {
    static final int MAX_NAME_CHARS = 255;
    static final int MAX_TEXT_CHARS = 16_384;
    static final int ID_LENGTH = 16;

    /** The entity's id, the API's view of what was written, and whether the store applied it within the wait. */
    record Written(String id, Object view, boolean visible) {
    }

    /** A record and where Kafka stored it. */
    private record Put<T>(T record, RecordMetadata at) {
    }

    private final EntityCodec<T> codec;
    private final CompactedWrites<T> writes;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    EntityWrites(EntityCodec<T> codec, CompactedWrites<T> writes, Clock clock) {
        this.codec = Objects.requireNonNull(codec);
        this.writes = Objects.requireNonNull(writes);
        this.clock = Objects.requireNonNull(clock);
    }

    EntityCodec<T> codec() {
        return codec;
    }

    Written create(String workspaceId, RequestFields fields) {
        fields.allowOnly(codec.createFields()).require(codec.createFields());
        checkLengths(fields, codec.maxChars());
        String id = newId(random, key -> writes.cached(Topics.key(workspaceId, key)).isPresent());
        T record = codec.create().apply(workspaceId, id, fields, clock.instant());
        String key = Topics.key(workspaceId, id);
        RecordMetadata at = writes.locked(key, () -> writes.put(key, record));
        return new Written(id, codec.view().apply(record), writes.visible(at));
    }

    Written update(String workspaceId, String id, RequestFields fields) {
        fields.allowOnly(codec.updateFields()).notBlankWhenPresent(codec.updateFields());
        requireSomething(fields, codec.updateFields());
        checkLengths(fields, codec.maxChars());
        String key = Topics.key(workspaceId, id);
        // Only the read-merge-write is serialised; waiting for the store happens outside the lock.
        Put<T> put = writes.locked(key, () -> {
            T next = codec.update().apply(current(key, id), fields, clock.instant());
            return new Put<>(next, writes.put(key, next));
        });
        return new Written(id, codec.view().apply(put.record()), writes.visible(put.at()));
    }

    /** Deletes permanently; returns whether the store dropped it within the wait. */
    boolean delete(String workspaceId, String id) {
        String key = Topics.key(workspaceId, id);
        RecordMetadata at = writes.locked(key, () -> {
            current(key, id);
            return writes.remove(key);
        });
        return writes.visible(at);
    }

    private T current(String key, String id) {
        return writes.latest(key).orElseThrow(() -> ApiException.notFound("no " + codec.noun() + " with id '" + id + "'"));
    }

    /** A new random id that {@code taken} does not know. */
    static String newId(SecureRandom random, java.util.function.Predicate<String> taken) {
        while (true) {
            String id = Tokens.randomAlphanumeric(random, ID_LENGTH);
            if (!taken.test(id)) {
                return id;
            }
        }
    }

    /** 400 when an update names none of {@code updatable}. */
    static void requireSomething(RequestFields fields, List<String> updatable) {
        if (fields.isEmpty()) {
            throw ApiException.badRequest("the body names no field to update; send at least one of " + String.join(", ", updatable),
                    updatable.stream().map(f -> ErrorDetail.field(f, "may be updated")).toList());
        }
    }

    /** 400 naming every field longer than its limit. */
    static void checkLengths(RequestFields fields, java.util.Map<String, Integer> maxChars) {
        List<ErrorDetail> problems = maxChars.entrySet().stream()
                .filter(limit -> fields.get(limit.getKey()).map(v -> v.length() > limit.getValue()).orElse(false))
                .map(limit -> ErrorDetail.field(limit.getKey(), "is longer than " + limit.getValue() + " characters"))
                .sorted(Comparator.comparing(ErrorDetail::field))
                .toList();
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("field" + (problems.size() == 1 ? " is" : "s are") + " too long: "
                    + String.join(", ", problems.stream().map(ErrorDetail::field).toList()), problems);
        }
    }
}
