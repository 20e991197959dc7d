package io.tributary.processors.sink;

import static io.tributary.processors.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.platform.kafka.ConsumerGroups;
import io.tributary.platform.kafka.EmbeddedKafkaBroker;
import io.tributary.platform.kafka.KafkaClients;
import io.tributary.platform.kafka.TopicBootstrap;
import io.tributary.platform.kafka.TopicSpec;
import io.tributary.platform.store.AnalyticsStore;
import io.tributary.platform.store.BoundQuery;
import io.tributary.platform.store.QueryParam;
import io.tributary.platform.store.QueryResult;
import io.tributary.platform.store.StoreDialect;
import io.tributary.platform.store.StoreTable;
import io.tributary.platform.store.StoreUnavailableException;
import io.tributary.platform.store.duckdb.DuckDbStore;
import io.tributary.platform.testing.KafkaBrokerExtension;
import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.CustomerEvent;
import io.tributary.schemas.avro.CustomerInsight;
import io.tributary.schemas.registry.InMemorySchemaRegistry;
import io.tributary.schemas.serde.AvroDeserializer;
import io.tributary.schemas.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A store sink against a real broker and a real DuckDB file. */
@ExtendWith(KafkaBrokerExtension.class)
class StoreSinkIT {
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry(1);
    private KafkaClients clients;
    private Admin admin;
    private DuckDbStore duckdb;
    private String topic;
    private final List<StoreSink<?>> sinks = new ArrayList<>();
    private KafkaProducer<byte[], byte[]> deadLetterProducer;

    /** The real store, refusing the first {@code failures} writes as an unreachable store would (fault injection). */
    private static final class FlakyStore implements AnalyticsStore {
        private final AnalyticsStore real;
        private final AtomicInteger failuresLeft;
        final AtomicInteger attempts = new AtomicInteger();

        FlakyStore(AnalyticsStore real, int failures) {
            this.real = real;
            this.failuresLeft = new AtomicInteger(failures);
        }

        @Override
        public void write(StoreTable table, List<Object[]> rows) {
            attempts.incrementAndGet();
            if (failuresLeft.getAndDecrement() > 0) {
                throw new StoreUnavailableException("store is down (test)", null);
            }
            real.write(table, rows);
        }

        @Override
        public StoreDialect dialect() {
            return real.dialect();
        }

        @Override
        public void migrate() {
            real.migrate();
        }

        @Override
        public void ping() {
            real.ping();
        }

        @Override
        public QueryResult query(BoundQuery query) {
            return real.query(query);
        }

        @Override
        public void truncate(StoreTable table) {
            real.truncate(table);
        }

        @Override
        public void close() {
        }
    }

    @BeforeEach
    void setUp(EmbeddedKafkaBroker broker, @TempDir Path dir) {
        clients = new KafkaClients(broker.bootstrapServers());
        admin = clients.admin("sink-it");
        topic = "events-" + UUID.randomUUID().toString().substring(0, 8);
        TopicBootstrap.ensureTopics(admin, List.of(TopicSpec.appendOnly(topic, 3), TopicSpec.appendOnly(DeadLetters.TOPIC, 1)), (short) 1);
        duckdb = DuckDbStore.open(dir.resolve("sink.duckdb"));
        duckdb.migrate();
        deadLetterProducer = clients.producer("dlq", new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void tearDown() {
        sinks.forEach(StoreSink::close);
        deadLetterProducer.close();
        duckdb.close();
        admin.close();
    }

    private SinkDefinition<CustomerEvent> definition() {
        return new SinkDefinition<>("test-events", topic, CustomerEvent.class, SinkDefinition.CUSTOMER_EVENTS.table(), "ingested_at");
    }

    private void startSink(AnalyticsStore store, String group) {
        SinkDefinition<CustomerEvent> definition = definition();
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(clients.consumerConfig("sink-" + group, group),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        StoreSink<CustomerEvent> sink = new StoreSink<>(definition, consumer, AvroDeserializer.specific(registry, CustomerEvent.class),
                store, new DeadLetters(deadLetterProducer), 1000, Duration.ofMillis(50), new SimpleMeterRegistry(), Clock.systemUTC());
        sinks.add(sink);
        new Thread(sink, "test-sink-" + group).start();
    }

    private void produce(int from, int to) throws Exception {
        try (KafkaProducer<String, CustomerEvent> producer = clients.producer("p", new StringSerializer(), new AvroSerializer<>(registry, false))) {
            for (int i = from; i < to; i++) {
                CustomerEvent e = event("w", "e" + i, "c" + (i % 10), "page_view", "2023-06-15T14:30:45Z", null, null);
                producer.send(new ProducerRecord<>(topic, Topics.key("w", e.getCustomerId()), e)).get();
            }
        }
    }

    private long storedEvents() {
        return (Long) duckdb.query(BoundQuery.of("SELECT count(*) FROM customer_events WHERE workspace_id = ?", QueryParam.string("w")))
                .rows().get(0).get(0);
    }

    private long committed(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        return offsets.values().stream().filter(Objects::nonNull).mapToLong(OffsetAndMetadata::offset).sum();
    }

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.call()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void offsetsAreCommittedOnlyAfterTheStoreWriteSucceeded() throws Exception {
        FlakyStore flaky = new FlakyStore(duckdb, 3);
        String group = ConsumerGroups.sink(topic);
        produce(0, 100);
        startSink(flaky, group);

        await("three refused writes", () -> flaky.attempts.get() >= 3);
        assertThat(storedEvents()).isZero();
        assertThat(committed(group)).as("nothing committed while the store refuses").isZero();

        await("the batch to land after the store recovers", () -> storedEvents() == 100 && committed(group) == 100);
        produce(100, 150);
        await("later events", () -> storedEvents() == 150 && committed(group) == 150);
    }

    @Test
    void replayingTheTopicFromTheStartChangesNothing() throws Exception {
        produce(0, 200);
        String group = ConsumerGroups.sink(topic);
        startSink(duckdb, group);
        await("first pass", () -> storedEvents() == 200 && committed(group) == 200);

        String replay = "replay-" + UUID.randomUUID(); // a second group reads every record again
        startSink(duckdb, replay);
        await("replay caught up", () -> committed(replay) == 200);
        assertThat(storedEvents()).isEqualTo(200);
    }

    @Test
    void undecodableBytesGoToTheDeadLetterTopicAndProcessingGoesOn() throws Exception {
        produce(0, 10);
        try (KafkaProducer<byte[], byte[]> raw = clients.producer("raw", new ByteArraySerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(topic, 0, "w|c0".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8))).get();
        }
        produce(10, 20);
        String group = ConsumerGroups.sink(topic);
        startSink(duckdb, group);
        await("all decodable events, and the bad record's offset", () -> storedEvents() == 20 && committed(group) == 21);

        List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> reader = clients.standaloneConsumer("dlq-reader", new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(DeadLetters.TOPIC, 0);
            reader.assign(List.of(tp));
            reader.seekToBeginning(List.of(tp));
            long end = reader.endOffsets(List.of(tp)).get(tp);
            while (reader.position(tp) < end) {
                reader.poll(Duration.ofMillis(200)).forEach(letters::add);
            }
        }
        ConsumerRecord<byte[], byte[]> ours = letters.stream()
                .filter(r -> new String(r.headers().lastHeader("tributary.source.topic").value(), StandardCharsets.UTF_8).equals(topic))
                .findFirst().orElseThrow();
        assertThat(new String(ours.value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
        assertThat(new String(ours.headers().lastHeader("tributary.reason").value(), StandardCharsets.UTF_8)).contains("magic byte");
    }

    @Test
    void aStoreRebuildEmptiesTheTableAndTheSinkReplaysTheTopicFromOffsetZero() throws Exception {
        produce(0, 200);
        String group = ConsumerGroups.sink(topic);
        startSink(duckdb, group);
        await("first pass", () -> storedEvents() == 200 && committed(group) == 200);

        assertThatThrownBy(() -> StoreRebuild.prepare(admin, duckdb, List.of(definition())))
                .as("a running sink blocks the rebuild").isInstanceOf(IllegalStateException.class).hasMessageContaining("active members");
        assertThat(storedEvents()).as("a refused rebuild changes nothing").isEqualTo(200);

        sinks.forEach(StoreSink::close);
        sinks.clear();
        StoreRebuild rebuild = StoreRebuild.prepare(admin, duckdb, List.of(definition()));
        assertThat(storedEvents()).isZero();
        assertThat(committed(group)).as("the sink group starts again from offset zero").isZero();
        assertThat(rebuild.totalRecords()).isEqualTo(200);

        startSink(duckdb, group);
        assertThat(rebuild.awaitCaughtUp(Duration.ofMillis(200), Duration.ofSeconds(30))).isTrue();
        assertThat(storedEvents()).isEqualTo(200);
    }

    @Test
    void aReplayWritesTheRecordsFromATimestampWithItsOwnConsumerAndLeavesTheLiveSinkGroupAlone() throws Exception {
        produce(0, 100);
        Thread.sleep(20);
        Instant between = Instant.now();
        Thread.sleep(20);
        produce(100, 250);
        String group = ConsumerGroups.sink(topic);
        startSink(duckdb, group);
        await("the live sink caught up", () -> storedEvents() == 250 && committed(group) == 250);
        duckdb.truncate(definition().table());

        assertThat(StoreReplay.plan(admin, List.of(definition()), Optional.empty()).totalRecords()).as("earliest").isEqualTo(250);
        assertThat(StoreReplay.plan(admin, List.of(definition()), Optional.of(Instant.now().plusSeconds(60))).totalRecords())
                .as("no record after the timestamp").isZero();
        StoreReplay replay = StoreReplay.plan(admin, List.of(definition()), Optional.of(between));
        assertThat(replay.totalRecords()).isEqualTo(150);
        List<String> progress = new ArrayList<>();
        StoreReplay.Result result = replay.run(clients, registry, duckdb, new DeadLetters(deadLetterProducer), 20, Duration.ofMillis(5),
                Duration.ofMillis(5), progress::add);

        assertThat(result.records()).isEqualTo(150);
        assertThat(result.rows()).isEqualTo(150);
        assertThat(storedEvents()).isEqualTo(150);
        assertThat((Long) duckdb.query(BoundQuery.of("SELECT count(*) FROM customer_events WHERE CAST(substr(event_id, 2) AS INTEGER) >= 100"))
                .rows().get(0).get(0)).as("only events produced after the timestamp").isEqualTo(150);
        assertThat(progress.get(0)).startsWith("0 of 150 records (0%)");
        assertThat(progress.get(progress.size() - 1)).startsWith("150 of 150 records (100%)");
        assertThat(committed(group)).as("the live sink's offsets").isEqualTo(250);
        assertThat(admin.describeConsumerGroups(List.of(group)).all().get().get(group).members()).as("the live sink still a member").hasSize(1);
    }

    @Test
    void aTombstoneBecomesADeletedRowWithoutDataAndAReplayCannotResurrectTheEntity() throws Exception {
        String insights = "insights-" + UUID.randomUUID().toString().substring(0, 8);
        TopicBootstrap.ensureTopics(admin, List.of(TopicSpec.compacted(insights, 3)), (short) 1);
        SinkDefinition<CustomerInsight> definition = new SinkDefinition<>("test-insights", insights, CustomerInsight.class,
                SinkDefinition.CUSTOMER_INSIGHTS.table(), "updated_at", "version");
        Instant at = Instant.parse("2023-06-15T14:30:45Z");
        try (KafkaProducer<String, CustomerInsight> producer = clients.producer("p", new StringSerializer(), new AvroSerializer<>(registry, false))) {
            for (String id : List.of("keep", "gone")) {
                CustomerInsight insight = CustomerInsight.newBuilder().setWorkspaceId("w").setInsightId(id).setCustomerId("c-" + id)
                        .setInsightType("purchase_behavior").setDetails("secret details of " + id).setCreatedAt(at).setUpdatedAt(at).build();
                producer.send(new ProducerRecord<>(insights, Topics.key("w", id), insight)).get();
            }
            producer.send(new ProducerRecord<>(insights, Topics.key("w", "gone"), null)).get();
        }
        String group = ConsumerGroups.sink(insights);
        startInsightSink(definition, group);
        await("three records applied", () -> committed(group) == 3);

        String sql = "SELECT insight_id, customer_id, details, deleted FROM customer_insights WHERE workspace_id = ? ORDER BY insight_id";
        List<List<Object>> rows = duckdb.query(BoundQuery.of(sql, QueryParam.string("w"))).rows();
        assertThat(rows).containsExactly(
                Arrays.asList("gone", null, null, 1L),
                Arrays.asList("keep", "c-keep", "secret details of keep", 0L));

        String replay = "replay-" + UUID.randomUUID(); // every record again, the deleted entity's older version first
        startInsightSink(definition, replay);
        await("replay caught up", () -> committed(replay) == 3);
        assertThat(duckdb.query(BoundQuery.of(sql, QueryParam.string("w"))).rows()).isEqualTo(rows);
    }

    private void startInsightSink(SinkDefinition<CustomerInsight> definition, String group) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(clients.consumerConfig("sink-" + group, group),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        StoreSink<CustomerInsight> sink = new StoreSink<>(definition, consumer, AvroDeserializer.specific(registry, CustomerInsight.class),
                duckdb, new DeadLetters(deadLetterProducer), 1000, Duration.ofMillis(50), new SimpleMeterRegistry(), Clock.systemUTC());
        sinks.add(sink);
        new Thread(sink, "test-sink-" + group).start();
    }
}
