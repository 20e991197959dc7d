package io.tributary.processors.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.platform.kafka.KafkaClients;
import io.tributary.platform.store.AnalyticsStore;
import io.tributary.schemas.registry.SchemaRegistry;
import io.tributary.schemas.serde.AvroDeserializer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Writes the records of the sinks' topics from a point in time up to the end offsets they had when
 * the replay was planned into the store again, through the sinks' own code ({@link StoreSink} with
 * a {@link SinkInput.Range}). Unlike {@link StoreRebuild} it empties nothing and leaves the sinks'
 * consumer groups alone: each sink's records are read by a consumer outside any group, so running
 * processors go on undisturbed, and both writing the same rows is harmless because store writes are
 * idempotent (events by id, the rest by highest version = offset). A compacted topic replays
 * correctly from any point for the same reason; records compaction removed are simply not there, so
 * a start before the oldest retained record means "from the beginning".
 */
public final class StoreReplay {
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    /** One sink's share of the replay. */
    private record Part(SinkDefinition<?> sink, SinkInput.Range range) {
    }

    /** What a replay did: offsets passed (records, and transaction markers), rows written, records sent to dead_letter. */
    public record Result(long records, long rows, long deadLetters, Duration elapsed) {
    }

    private final Optional<Instant> from;
    private final List<Part> parts;

    private StoreReplay(Optional<Instant> from, List<Part> parts) {
        this.from = from;
        this.parts = List.copyOf(parts);
    }

    /**
     * Per partition of each sink's topic: the first offset whose record's timestamp is at or after
     * {@code from} (Kafka's time index; empty {@code from}: the earliest retained offset) up to the
     * last stable offset now, what a read_committed consumer can reach. A partition with no record
     * at or after {@code from} has nothing to replay. Records after the start offset are all
     * replayed, also those whose producer gave them an earlier timestamp.
     */
    public static StoreReplay plan(Admin admin, List<SinkDefinition<?>> sinks, Optional<Instant> from) {
        OffsetSpec start = from.map(at -> OffsetSpec.forTimestamp(at.toEpochMilli())).orElseGet(OffsetSpec::earliest);
        List<Part> parts = new ArrayList<>();
        try {
            for (SinkDefinition<?> sink : sinks) {
                Map<TopicPartition, Long> ends = offsets(admin, sink.topic(), OffsetSpec.latest(), IsolationLevel.READ_COMMITTED);
                Map<TopicPartition, Long> starts = new HashMap<>();
                offsets(admin, sink.topic(), start, IsolationLevel.READ_COMMITTED).forEach((tp, offset) ->
                        // -1: no record at or after the timestamp
                        starts.put(tp, offset < 0 ? ends.get(tp) : Math.min(offset, ends.get(tp))));
                parts.add(new Part(sink, new SinkInput.Range(starts, ends)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while planning the replay", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the topics' offsets: " + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
        return new StoreReplay(from, parts);
    }

    public Optional<Instant> from() {
        return from;
    }

    public long totalRecords() {
        return parts.stream().mapToLong(p -> p.range().total()).sum();
    }

    /** Records to replay by topic, in the order of the sinks. */
    public Map<String, Long> recordsByTopic() {
        Map<String, Long> out = new LinkedHashMap<>();
        parts.forEach(p -> out.merge(p.sink().topic(), p.range().total(), Long::sum));
        return out;
    }

    private long done() {
        return parts.stream().mapToLong(p -> p.range().done()).sum();
    }

    /**
     * Runs one sink per topic with records to replay, each on its own thread, and passes
     * {@code report} a progress line (see ReplayProgress) at the start, every {@code every} and at
     * the end. Returns when every sink has reached its end offsets; throws if one failed (the others
     * are stopped; what they wrote stays, and running the replay again rewrites it harmlessly).
     */
    public Result run(KafkaClients kafka, SchemaRegistry registry, AnalyticsStore store, DeadLetters deadLetters, int batchRows,
                      Duration linger, Duration every, Consumer<String> report) throws InterruptedException {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        ReplayProgress progress = ReplayProgress.startingNow(totalRecords());
        List<Part> pending = parts.stream().filter(p -> p.range().total() > 0).toList();
        List<StoreSink<?>> sinks = pending.stream()
                .<StoreSink<?>>map(p -> sink(p.sink(), p.range(), kafka, registry, store, deadLetters, batchRows, linger, metrics)).toList();
        report.accept(progress.line(0));
        if (sinks.isEmpty()) {
            return new Result(0, 0, 0, progress.elapsed());
        }
        ExecutorService threads = Executors.newFixedThreadPool(sinks.size(), task -> new Thread(task, "replay-sink"));
        try {
            List<Future<?>> running = sinks.stream().<Future<?>>map(threads::submit).toList();
            while (!awaitAll(running, every)) {
                report.accept(progress.line(done()));
            }
            long done = done();
            report.accept(progress.line(done));
            return new Result(done, (long) sum(metrics, "tributary.sink.rows"), (long) sum(metrics, "tributary.sink.dead.letters"),
                    progress.elapsed());
        } catch (ExecutionException e) {
            throw new IllegalStateException("replay failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            sinks.forEach(StoreSink::close);
            threads.shutdownNow();
        }
    }

    private static <T extends SpecificRecord> StoreSink<T> sink(SinkDefinition<T> definition, SinkInput.Range range, KafkaClients kafka,
                                                               SchemaRegistry registry, AnalyticsStore store, DeadLetters deadLetters,
                                                               int batchRows, Duration linger, SimpleMeterRegistry metrics) {
        Map<String, Object> props = kafka.standaloneConsumerConfig("tributary-replay-" + definition.name());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, StoreSink.maxPollRecords(definition, batchRows));
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        return new StoreSink<>(definition, range, consumer, AvroDeserializer.specific(registry, definition.type()), store, deadLetters,
                batchRows, linger, metrics, Clock.systemUTC());
    }

    /** Whether every task ended within {@code wait} (in total); rethrows a task's failure. */
    private static boolean awaitAll(List<Future<?>> tasks, Duration wait) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + wait.toNanos();
        for (Future<?> task : tasks) {
            try {
                task.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return false;
            }
        }
        return true;
    }

    private static double sum(SimpleMeterRegistry metrics, String counter) {
        return metrics.find(counter).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** The offsets {@code spec} names in every partition of {@code topic}. */
    static Map<TopicPartition, Long> offsets(Admin admin, String topic, OffsetSpec spec, IsolationLevel isolation)
            throws InterruptedException, ExecutionException, TimeoutException {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), spec);
        }
        Map<TopicPartition, ListOffsetsResultInfo> found = admin.listOffsets(request, new ListOffsetsOptions(isolation)).all()
                .get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        Map<TopicPartition, Long> out = new HashMap<>();
        found.forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }
}
