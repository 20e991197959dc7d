package io.tributary.processors.segments;

import static io.tributary.processors.TestEvents.profile;
import static io.tributary.processors.TestEvents.purchase;
import static io.tributary.processors.TestEvents.segment;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.platform.health.HealthSettingsStore;
import io.tributary.platform.kafka.EmbeddedKafkaBroker;
import io.tributary.platform.kafka.KafkaClients;
import io.tributary.platform.kafka.TopicBootstrap;
import io.tributary.platform.kafka.TopicSpec;
import io.tributary.platform.store.BoundQuery;
import io.tributary.platform.store.QueryParam;
import io.tributary.platform.store.duckdb.DuckDbStore;
import io.tributary.platform.testing.KafkaBrokerExtension;
import io.tributary.processors.StreamProcessors;
import io.tributary.processors.TestEvents;
import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.CustomerEvent;
import io.tributary.schemas.avro.SegmentMembership;
import io.tributary.schemas.registry.InMemorySchemaRegistry;
import io.tributary.schemas.serde.AvroDeserializer;
import io.tributary.schemas.serde.AvroSerializer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processors role against a real broker and DuckDB: events, profile changes and rule changes
 * move customers into and out of segments, on topic segment_membership and in table
 * segment_members. Prints the latencies from produce to record and to row; asserts only correctness.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SegmentMembershipIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry(1);
    private final String ws = "it-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> latencies = new ArrayList<>();
    private DuckDbStore duckdb;
    private HealthSettingsStore healthSettings;
    private StreamProcessors processors;
    private KafkaProducer<String, SpecificRecord> producer;
    private Thread reader;
    private volatile boolean reading = true;

    private record Received(SegmentMembership membership, long atNanos) {
    }

    @BeforeEach
    void setUp(EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        KafkaClients clients = new KafkaClients(broker.bootstrapServers());
        try (Admin admin = clients.admin("membership-it")) {
            List<TopicSpec> topics = new ArrayList<>(StreamProcessors.topics(3));
            topics.add(TopicSpec.appendOnly(Topics.CUSTOMER_EVENTS, 3));
            TopicBootstrap.ensureTopics(admin, topics, (short) 1);
        }
        duckdb = DuckDbStore.open(dir.resolve("store.duckdb"));
        duckdb.migrate();
        healthSettings = HealthSettingsStore.start(clients, (short) 1, TIMEOUT, Clock.systemUTC());
        processors = StreamProcessors.start(clients, registry, duckdb, healthSettings, new SimpleMeterRegistry(),
                new StreamProcessors.Settings(dir.resolve("state"), (short) 1, 1000, Duration.ofMillis(50), Duration.ofDays(1), 1));
        assertThat(processors.awaitRunning(TIMEOUT)).as("streams running").isTrue();
        producer = clients.producer("membership-it", new StringSerializer(), new AvroSerializer<>(registry, false));

        AvroDeserializer<SegmentMembership> deserializer = AvroDeserializer.specific(registry, SegmentMembership.class);
        KafkaConsumer<String, byte[]> consumer = clients.consumer("membership-reader", "membership-it-" + ws,
                new StringDeserializer(), new ByteArrayDeserializer());
        reader = new Thread(() -> {
            try (consumer) {
                consumer.subscribe(List.of(Topics.SEGMENT_MEMBERSHIP));
                while (reading) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                        long now = System.nanoTime();
                        SegmentMembership m = deserializer.deserialize(r.topic(), r.value());
                        if (m.getWorkspaceId().equals(ws)) {
                            received.add(new Received(m, now));
                        }
                    }
                }
            }
        }, "membership-reader");
        reader.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        reading = false;
        reader.join(10_000);
        producer.close();
        processors.close();
        healthSettings.close();
        duckdb.close();
        System.out.println("membership latency: " + String.join(", ", latencies));
    }

    private long send(String key, SpecificRecord value) throws Exception {
        long at = System.nanoTime();
        producer.send(new ProducerRecord<>(key.startsWith("segment:") ? Topics.CUSTOMER_SEGMENTS
                : value instanceof CustomerEvent ? Topics.CUSTOMER_EVENTS : Topics.CUSTOMER_PROFILES,
                key.replace("segment:", ""), value)).get();
        return at;
    }

    private long event(CustomerEvent e) throws Exception {
        return send(Topics.key(ws, e.getCustomerId()), e);
    }

    private long profileOf(String customer, String city) throws Exception {
        return send(Topics.key(ws, customer), profile(ws, customer, city, null));
    }

    private long rule(String segmentId, String name, String rule) throws Exception {
        return send("segment:" + Topics.key(ws, segmentId), segment(ws, segmentId, name, rule));
    }

    /** Waits for the membership record of (customer, segment) with {@code member}; returns ms since {@code sentAt}. */
    private long awaitRecord(long sentAt, String customer, String segmentId, boolean member) throws InterruptedException {
        Predicate<Received> match = r -> r.atNanos() >= sentAt && r.membership().getCustomerId().equals(customer)
                && r.membership().getSegmentId().equals(segmentId) && r.membership().getMember() == member;
        await("membership record " + customer + " " + segmentId + " member=" + member, () -> received.stream().anyMatch(match));
        return (received.stream().filter(match).findFirst().orElseThrow().atNanos() - sentAt) / 1_000_000;
    }

    /** Waits until segment_members says {@code member} for (customer, segment); returns ms since {@code sentAt}. */
    private long awaitRow(long sentAt, String customer, String segmentId, boolean member) throws InterruptedException {
        await("segment_members row " + customer + " " + segmentId + " member=" + member, () -> member == storedMember(customer, segmentId));
        return (System.nanoTime() - sentAt) / 1_000_000;
    }

    private boolean storedMember(String customer, String segmentId) {
        List<List<Object>> rows = duckdb.query(BoundQuery.of(
                "SELECT member FROM segment_members WHERE workspace_id = ? AND segment_id = ? AND customer_id = ?",
                QueryParam.string(ws), QueryParam.string(segmentId), QueryParam.string(customer))).rows();
        // the store reports BOOLEAN as 0/1 (as ClickHouse 18.16 does, see DuckDbValues)
        return !rows.isEmpty() && (Boolean.TRUE.equals(rows.get(0).get(0)) || Integer.valueOf(1).equals(toInt(rows.get(0).get(0))));
    }

    private static Integer toInt(Object value) {
        return value instanceof Number n ? n.intValue() : null;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private void measured(String what, long sentAt, String customer, String segmentId, boolean member) throws InterruptedException {
        long record = awaitRecord(sentAt, customer, segmentId, member);
        long row = awaitRow(sentAt, customer, segmentId, member);
        latencies.add(what + " " + record + " ms (row " + row + " ms)");
    }

    @Test
    void eventsProfilesAndRuleChangesMoveCustomersInAndOut() throws Exception {
        rule("active", "active buyers", "total_spent > 100 AND events.unsubscribe = 0");
        rule("paris", "parisians", "city = 'Paris'");
        Thread.sleep(500); // let the segments reach every task before customers change

        // events: in, then out
        measured("event enter", event(purchase(ws, "e1", "c1", "150.00", "s1")), "c1", "active", true);
        measured("event exit", event(TestEvents.event(ws, "e2", "c1", "unsubscribe", "2023-06-16T10:00:00Z", null, null)),
                "c1", "active", false);

        // profile: in, then out
        measured("profile enter", profileOf("c2", "Paris"), "c2", "paris", true);
        measured("profile exit", profileOf("c2", "Lyon"), "c2", "paris", false);

        // a rule change re-evaluates every customer, both directions
        event(purchase(ws, "e3", "low", "50.00", "s"));
        event(purchase(ws, "e4", "high-1", "500.00", "s"));
        long high2 = event(purchase(ws, "e5", "high-2", "700.00", "s"));
        awaitRecord(high2, "high-2", "active", true);
        awaitRecord(high2, "high-1", "active", true);

        long changed = rule("active", "active buyers", "total_spent <= 100");
        measured("rule enter (low)", changed, "low", "active", true);
        measured("rule exit (high-1)", changed, "high-1", "active", false);
        measured("rule exit (high-2)", changed, "high-2", "active", false);
        measured("rule enter (c2, profile only: zero counts)", changed, "c2", "active", true);

        long back = rule("active", "active buyers", "total_spent > 100");
        measured("rule back: exit (low)", back, "low", "active", false);
        measured("rule back: enter (high-1)", back, "high-1", "active", true);
        measured("rule back: enter (c1, no longer excluded by unsubscribe)", back, "c1", "active", true);
        measured("rule back: exit (c2)", back, "c2", "active", false);

        // the upserted entities reached their tables with version = Kafka offset
        await("profile and segment rows", () -> count("customer_profiles") == 1 && count("customer_segments") == 2);
        List<List<Object>> versions = duckdb.query(BoundQuery.of(
                "SELECT city, version FROM customer_profiles WHERE workspace_id = ?", QueryParam.string(ws))).rows();
        assertThat(versions).singleElement().satisfies(row -> assertThat(row.get(0)).isEqualTo("Lyon"));
        List<List<Object>> rules = duckdb.query(BoundQuery.of(
                "SELECT segment_rules FROM customer_segments WHERE workspace_id = ? AND segment_id = 'active'", QueryParam.string(ws))).rows();
        await("latest rule stored", () -> "total_spent > 100".equals(duckdb.query(BoundQuery.of(
                "SELECT segment_rules FROM customer_segments WHERE workspace_id = ? AND segment_id = 'active'", QueryParam.string(ws)))
                .rows().get(0).get(0)));
        assertThat(rules).hasSize(1);
        assertThat(received).as("only changes are published").allSatisfy(r -> assertThat(r.membership().getCause())
                .isIn("event", "profile", "segment"));
    }

    private long count(String table) {
        return ((Number) duckdb.query(BoundQuery.of("SELECT count(*) FROM " + table + " WHERE workspace_id = ?", QueryParam.string(ws)))
                .rows().get(0).get(0)).longValue();
    }
}
