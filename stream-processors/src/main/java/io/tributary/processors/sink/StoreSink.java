package io.tributary.processors.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tributary.platform.store.AnalyticsStore;
import io.tributary.platform.store.AvroRows;
import io.tributary.platform.store.StoreTables;
import io.tributary.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one topic into one store table in batches: a batch is written when it reaches
 * {@code maxRows} or its first record has waited {@code linger}; offsets are committed only after
 * the store write succeeded, and writes are idempotent, so a crash or replay never loses or
 * doubles a row (at-least-once delivery, exactly-once effect). While the store is down the sink
 * pauses its partitions and retries the same batch with backoff — lag grows, nothing is skipped.
 * The processors role's sinks read their consumer group; a replay (StoreReplay) runs the same code
 * over a fixed offset range outside any group (see SinkInput).
 */
public final class StoreSink<T extends SpecificRecord> implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreSink.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** The most rows one record of an exploding sink makes: a customer_metrics record holds at most 200 dated items (seed 004). */
    static final int MAX_EXPLODED_ROWS = 200;

    private final SinkDefinition<T> definition;
    private final SinkInput input;
    /** Derived once from the definition: whether tombstones become deleted rows, and which rows purge older versions (null: none). */
    private final boolean deletes;
    private final Predicate<Object[]> purges;
    private final Consumer<byte[], byte[]> consumer;
    private final Deserializer<T> deserializer;
    private final AnalyticsStore store;
    private final DeadLetters deadLetters;
    private final int maxRows;
    private final Duration linger;
    private final Clock clock;

    private final List<Object[]> rows = new ArrayList<>();
    private final List<Instant> freshness = new ArrayList<>();
    private final Map<TopicPartition, Long> nextOffsets = new HashMap<>();
    private Instant batchStarted;
    private volatile boolean running = true;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private final Counter rowsWritten;
    private final Counter deadLettered;
    private final Counter failures;
    private final DistributionSummary batchSize;
    private final Timer writeLatency;
    private final Timer endToEndFreshness;

    public StoreSink(SinkDefinition<T> definition, Consumer<byte[], byte[]> consumer, Deserializer<T> deserializer,
                     AnalyticsStore store, DeadLetters deadLetters, int maxRows, Duration linger,
                     MeterRegistry metrics, Clock clock) {
        this(definition, SinkInput.GROUP, consumer, deserializer, store, deadLetters, maxRows, linger, metrics, clock);
    }

    /** A sink reading {@code input}: its consumer group, or a replay's fixed range. */
    StoreSink(SinkDefinition<T> definition, SinkInput input, Consumer<byte[], byte[]> consumer, Deserializer<T> deserializer,
              AnalyticsStore store, DeadLetters deadLetters, int maxRows, Duration linger, MeterRegistry metrics, Clock clock) {
        this.definition = definition;
        this.input = input;
        this.deletes = definition.deletes();
        this.purges = definition.purgeCondition().orElse(null);
        this.consumer = consumer;
        this.deserializer = deserializer;
        this.store = store;
        this.deadLetters = deadLetters;
        this.maxRows = maxRows;
        this.linger = linger;
        this.clock = clock;
        String sink = definition.name();
        this.rowsWritten = Counter.builder("tributary.sink.rows").description("Rows written to the store").tag("sink", sink).register(metrics);
        this.deadLettered = Counter.builder("tributary.sink.dead.letters").description("Undecodable records sent to dead_letter").tag("sink", sink).register(metrics);
        this.failures = Counter.builder("tributary.sink.failures").description("Failed store writes (retried)").tag("sink", sink).register(metrics);
        this.batchSize = DistributionSummary.builder("tributary.sink.batch.size").baseUnit("rows").tag("sink", sink).register(metrics);
        this.writeLatency = Timer.builder("tributary.sink.write").description("Store write latency per batch").tag("sink", sink).register(metrics);
        this.endToEndFreshness = Timer.builder("tributary.sink.freshness")
                .description("Store write time minus the record's ingest time")
                .tag("sink", sink).publishPercentiles(0.5, 0.99).register(metrics);
    }

    /**
     * {@code max.poll.records} for a sink's consumer: a poll fits in a batch. An exploded record (one
     * customer's upload) makes up to MAX_EXPLODED_ROWS rows, so its sink polls that many times fewer
     * records (10,000 customer_metrics records were 2,000,000 rows held at once).
     */
    public static int maxPollRecords(SinkDefinition<?> definition, int batchRows) {
        int rowsPerRecord = definition.explodeField() == null ? 1 : MAX_EXPLODED_ROWS;
        return Math.max(1, Math.min(batchRows / rowsPerRecord, 10_000));
    }

    @Override
    public void run() {
        try {
            input.open(consumer, definition.topic(), new FlushOnRevoke());
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout());
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (input.accepts(record)) {
                        add(record);
                    }
                }
                if (input.finished(consumer)) {
                    if (rows.isEmpty()) {
                        commit();
                    } else {
                        flush();
                    }
                    return;
                }
                if (!rows.isEmpty() && (rows.size() >= maxRows || !clock.instant().isBefore(batchStarted.plus(linger)))) {
                    flush();
                } else if (rows.isEmpty() && !nextOffsets.isEmpty()) {
                    commit(); // only dead letters in this batch
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("sink {} stopped on an unexpected error; uncommitted records will be redelivered", definition.name(), e);
            throw e;
        } finally {
            try {
                if (!rows.isEmpty()) {
                    flushOnce();
                }
            } catch (RuntimeException e) {
                LOG.warn("sink {}: final flush failed, {} rows will be redelivered: {}", definition.name(), rows.size(), e.getMessage());
            }
            consumer.close();
            stopped.countDown();
        }
    }

    private Duration pollTimeout() {
        if (rows.isEmpty()) {
            return Duration.ofMillis(100);
        }
        Duration left = Duration.between(clock.instant(), batchStarted.plus(linger));
        return left.isNegative() ? Duration.ZERO : left.compareTo(Duration.ofMillis(100)) > 0 ? Duration.ofMillis(100) : left;
    }

    private void add(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        try {
            T value = deserializer.deserialize(record.topic(), record.value());
            if (value == null && deletes) {
                startBatchIfEmpty();
                rows.add(tombstoneRow(record));
            } else if (value != null) {
                startBatchIfEmpty();
                if (definition.explodeField() == null) {
                    rows.add(AvroRows.toRow(definition.table(), (GenericRecord) value, givenColumns(record.offset())));
                } else {
                    rows.addAll(AvroRows.toExplodedRows(definition.table(), (GenericRecord) value, definition.explodeField(),
                            givenColumns(record.offset())));
                }
                if (definition.freshnessField() != null) {
                    Object ingested = ((GenericRecord) value).get(definition.freshnessField());
                    if (ingested instanceof Instant at) {
                        freshness.add(at);
                    }
                }
            }
        } catch (SerializationException | IllegalArgumentException | ClassCastException e) {
            deadLetters.send(record, "sink:" + definition.name(), DeadLetters.reason(e));
            deadLettered.increment();
        }
        nextOffsets.put(tp, record.offset() + 1);
    }

    /** The columns a row takes from the record's position rather than its fields: version = offset, and not deleted. */
    private Map<String, Object> givenColumns(long offset) {
        if (definition.offsetColumn() == null) {
            return Map.of();
        }
        return deletes ? Map.of(definition.offsetColumn(), offset, StoreTables.DELETED, false) : Map.of(definition.offsetColumn(), offset);
    }

    private void startBatchIfEmpty() {
        if (rows.isEmpty()) {
            batchStarted = clock.instant();
        }
    }

    /** The deleted row a tombstone stands for: its workspace and id come from the record key. */
    private Object[] tombstoneRow(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            throw new IllegalArgumentException("a tombstone without a key names no entity to delete");
        }
        String[] key = Topics.splitKey(new String(record.key(), StandardCharsets.UTF_8));
        List<String> keyColumns = definition.table().keyColumns();
        return AvroRows.tombstoneRow(definition.table(), Map.of(keyColumns.get(0), key[0], keyColumns.get(1), key[1],
                definition.offsetColumn(), record.offset(), StoreTables.DELETED, true));
    }

    /** Writes the batch, retrying with backoff until it succeeds or the sink is closed, then commits. */
    private void flush() {
        Duration backoff = Duration.ofMillis(100);
        while (true) {
            try {
                flushOnce();
                return;
            } catch (RuntimeException e) {
                failures.increment();
                if (!running) {
                    throw e;
                }
                LOG.warn("sink {}: store write of {} rows failed ({}); retrying in {} ms",
                        definition.name(), rows.size(), e.getMessage(), backoff.toMillis());
                waitPaused(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private void flushOnce() {
        long started = System.nanoTime();
        store.write(definition.table(), rows);
        if (purges != null) {
            List<Object[]> deletions = rows.stream().filter(purges).toList();
            if (!deletions.isEmpty()) {
                // before the commit: a failed purge is retried with the batch (the write itself is idempotent)
                store.purgeSupersededVersions(definition.table(), deletions);
            }
        }
        writeLatency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        Instant written = clock.instant();
        for (Instant ingested : freshness) {
            endToEndFreshness.record(Duration.between(ingested, written).abs());
        }
        rowsWritten.increment(rows.size());
        batchSize.record(rows.size());
        rows.clear();
        freshness.clear();
        commit();
    }

    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Set<TopicPartition> owned = consumer.assignment();
        // Every record polled so far is written or dead-lettered when commit() runs, so the
        // consumer's position is safe to commit; it is past transaction markers too, which
        // offset+1 is not (customer_stats comes from an exactly-once producer), so lag reaches 0.
        nextOffsets.forEach((tp, offset) -> {
            if (owned.contains(tp)) {
                offsets.put(tp, new OffsetAndMetadata(Math.max(offset, consumer.position(tp))));
            }
        });
        nextOffsets.clear();
        input.commit(consumer, offsets);
    }

    /** Keeps the group membership alive (poll) without fetching while the store is down. */
    private void waitPaused(Duration backoff) {
        Set<TopicPartition> assigned = consumer.assignment();
        consumer.pause(assigned);
        try {
            long until = System.nanoTime() + backoff.toNanos();
            while (running && System.nanoTime() < until) {
                ConsumerRecords<byte[], byte[]> none = consumer.poll(Duration.ofMillis(Math.min(100, backoff.toMillis())));
                if (!none.isEmpty()) {
                    throw new IllegalStateException("paused consumer returned records");
                }
            }
        } finally {
            consumer.resume(consumer.assignment());
        }
    }

    /** On rebalance, write what we hold for the partitions we lose, so their next owner starts after it. */
    private final class FlushOnRevoke implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (rows.isEmpty()) {
                if (!nextOffsets.isEmpty()) {
                    commit();
                }
                return;
            }
            try {
                flushOnce();
            } catch (RuntimeException e) {
                LOG.warn("sink {}: could not flush before rebalance ({}); {} rows will be redelivered to the next owner",
                        definition.name(), e.getMessage(), rows.size());
                rows.clear();
                freshness.clear();
                nextOffsets.clear();
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }
    }

    public String name() {
        return definition.name();
    }

    /** Stops polling, writes what it holds if the store allows, and returns when the loop has ended. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            if (!stopped.await(30, TimeUnit.SECONDS)) {
                LOG.warn("sink {} did not stop within 30 s", definition.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
