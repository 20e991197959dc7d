package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.deploy.bench.PipelineLag;
import io.tributary.platform.kafka.ConsumerGroups;
import io.tributary.platform.testing.ClickHouseExtension;
import io.tributary.platform.testing.ClickHouseServer;
import io.tributary.processors.sink.DeadLetters;
import io.tributary.schemas.Topics;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 8's fault scenarios against real processes ({@code ./mvnw -B verify -Pfaults}): the gateway,
 * processors and query roles as three JVMs, Kafka and the registry in this JVM, clickhouse-server as a
 * process. Each scenario has its own workspace, loads events through the gateway as a retrying client
 * would, breaks something, and then prints and asserts sent / acknowledged / stored / duplicated (0) /
 * lost (0) and the statistics against values recomputed from the acknowledged events.
 */
@ExtendWith(ClickHouseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SplitRolesFaultIT {
    private static final Duration DRAIN = Duration.ofMinutes(4);

    private SplitRolesCluster<SplitRolesCluster.InJvmBroker> cluster;
    private final List<FaultFigures> figures = new ArrayList<>();

    @BeforeEach
    void cluster(ClickHouseServer clickhouse) throws Exception {
        if (cluster == null) {
            cluster = SplitRolesCluster.start(clickhouse, "faults");
        }
    }

    @AfterEach
    void rolesStillUp() {
        if (cluster != null) {
            cluster.assertProcessorsAlive();
        }
    }

    @AfterAll
    void printTable() throws Exception {
        if (!figures.isEmpty()) {
            String table = FaultFigures.table(figures);
            System.out.println("\nFault scenarios (SplitRolesFaultIT)\n" + table);
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "fault-figures.md"), table + "\n"
                    + String.join("\n", figures.stream().map(FaultFigures::report).toList()));
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void processorsKilledWithSigkillMidBatchThenRestarted() throws Exception {
        String workspace = "faults-sigkill";
        Http gateway = cluster.writes(workspaceToken(workspace));
        try (EventLoad load = new EventLoad(gateway, new EventLoad.Plan("k", 200_000, 2_000, 1_000, 3, 5_000)).start()) {
            long killedAt = awaitStored(workspace, 40_000);
            cluster.killProcessors();
            long ackedAtKill = load.acknowledgedCount();
            TimeUnit.SECONDS.sleep(5); // events keep arriving while nothing processes them
            cluster.startProcessors();
            load.awaitDone(Duration.ofMinutes(5));
            finish("processors SIGKILLed mid-batch, restarted", workspace, load, List.of(
                    "killed with " + killedAt + " events stored and " + ackedAtKill + " acknowledged; restarted 5 s later",
                    "gateway answers: " + load.statuses()));
            String sizes = sizes(); // after the drain: every event stored
            System.out.println("  " + sizes);
            figures.set(figures.size() - 1, figures.get(figures.size() - 1).withNote(sizes));
        }
    }

    @Test
    @Order(2)
    void kafkaStoppedForThirtySecondsThenRestartedOnTheSameLogDir() throws Exception {
        String workspace = "faults-kafka";
        Http gateway = cluster.writes(workspaceToken(workspace));
        try (EventLoad load = new EventLoad(gateway, new EventLoad.Plan("b", 40_000, 500, 500, 2, 1_000)).start()) {
            load.awaitAcknowledged(8_000, Duration.ofMinutes(3));
            cluster.brokers().stop();
            long downFrom = System.nanoTime();
            TimeUnit.SECONDS.sleep(30);
            long downUntil = System.nanoTime();
            cluster.brokers().start();
            load.awaitDone(Duration.ofMinutes(5));
            // a request sent after the broker stopped and answered 2xx before it came back would be an
            // acknowledgement of rows Kafka never had
            long acknowledgedWhileDown = load.acknowledgements().stream()
                    .filter(a -> a.sentNanos() > downFrom + TimeUnit.SECONDS.toNanos(1) && a.answeredNanos() < downUntil).count();
            FaultFigures result = finish("Kafka stopped 30 s, restarted on the same log dir", workspace, load, List.of(
                    "gateway answers: " + load.statuses() + ", without an answer: " + load.unanswered(),
                    "503 answers: " + load.status(503) + ", without Retry-After: " + load.retryAfterMissing(),
                    "2xx answers to requests sent and answered while Kafka was down: " + acknowledgedWhileDown));
            assertThat(load.status(503)).as("the gateway refused writes while Kafka was down").isPositive();
            assertThat(load.retryAfterMissing()).as("every 503 and 429 carries Retry-After").isZero();
            assertThat(acknowledgedWhileDown).as("no 2xx for rows Kafka could not acknowledge").isZero();
            assertThat(result.lost()).isZero();
        }
    }

    @Test
    @Order(3)
    void storeStoppedForSixtySecondsThenRestarted() throws Exception {
        ClickHouseServer clickhouse = cluster.clickhouse();
        org.junit.jupiter.api.Assumptions.assumeTrue(clickhouse.isManaged(),
                "CLICKHOUSE_URL points at a server this test cannot stop; the store-outage scenario needs a local clickhouse-server");
        String workspace = "faults-store";
        Http gateway = cluster.writes(workspaceToken(workspace));
        String sinkGroup = ConsumerGroups.sink(Topics.CUSTOMER_EVENTS);
        try (EventLoad load = new EventLoad(gateway, new EventLoad.Plan("s", 40_000, 500, 500, 2, 1_000)).start();
             Admin admin = cluster.admin()) {
            awaitStored(workspace, 5_000);
            clickhouse.stop();
            long ackedAtStop = load.acknowledgedCount();
            long lagAtStop = lag(admin, sinkGroup);
            long maxLag = lagAtStop;
            long outageEnds = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < outageEnds) {
                maxLag = Math.max(maxLag, lag(admin, sinkGroup));
                TimeUnit.SECONDS.sleep(1);
            }
            long ackedDuringOutage = load.acknowledgedCount() - ackedAtStop;
            clickhouse.start();
            long restarted = System.nanoTime();
            load.awaitDone(Duration.ofMinutes(5));
            long lagAfter;
            while ((lagAfter = lag(admin, sinkGroup)) > 0 && System.nanoTime() - restarted < DRAIN.toNanos()) {
                TimeUnit.MILLISECONDS.sleep(500);
            }
            double caughtUpSeconds = (System.nanoTime() - restarted) / 1e9;
            FaultFigures result = finish("ClickHouse stopped 60 s, restarted", workspace, load, List.of(
                    "events acknowledged by the gateway while the store was down: " + ackedDuringOutage,
                    "customer_events sink lag: " + lagAtStop + " at the stop, " + maxLag + " at most during the outage, "
                            + lagAfter + " " + String.format("%.1f", caughtUpSeconds) + " s after the restart"));
            assertThat(ackedDuringOutage).as("writes are accepted while the store is down").isPositive();
            assertThat(maxLag).as("lag grows while the store is down").isGreaterThan(lagAtStop);
            assertThat(lagAfter).as("lag returns to zero").isZero();
            assertThat(result.lost()).isZero();
        }
    }

    @Test
    @Order(4)
    void everyEventBatchSentTwice() throws Exception {
        String workspace = "faults-retries";
        Http gateway = cluster.writes(workspaceToken(workspace));
        try (EventLoad load = new EventLoad(gateway, new EventLoad.Plan("r", 20_000, 300, 500, 2, 5_000, 2)).start()) {
            load.awaitDone(Duration.ofMinutes(5));
            finish("every event batch sent twice (client retries)", workspace, load, List.of(
                    "requests: " + load.requests() + " for " + load.plan().batches() + " batches; gateway answers: " + load.statuses()));
        }
    }

    @Test
    @Order(5)
    void uploadsAndCrudWritesSentTwiceWithTheSameIdempotencyKey() throws Exception {
        String workspace = "faults-idempotent";
        String token = workspaceToken(workspace);
        Http gateway = cluster.writes(token);
        String json = "application/json";
        // PUTs are idempotent by themselves: sent twice, one metric and one scoring
        for (int copy = 0; copy < 2; copy++) {
            assertThat(gateway.request("PUT", "/api/v1/metrics/logins", "{\"type\":\"number\"}", json).statusCode()).isEqualTo(200);
            assertThat(gateway.request("PUT", "/api/v1/scoring", "{\"components\":[{\"source\":\"metric\",\"codename\":\"logins\","
                    + "\"normalisation\":\"thresholds\",\"thresholds\":[0,10]}]}", json).statusCode()).isEqualTo(200);
        }
        int customers = 200;
        StringBuilder upload = new StringBuilder("{\"customers\":[");
        for (int c = 0; c < customers; c++) {
            upload.append(c == 0 ? "" : ",").append("{\"external_id\":\"u").append(c).append("\",\"name\":\"Customer ").append(c)
                    .append("\",\"metrics\":[{\"date\":\"2026-11-01\",\"logins\":").append(c % 7)
                    .append("},{\"date\":\"2026-11-02\",\"logins\":").append(c % 11).append("}]}");
        }
        upload.append("]}");
        List<HttpResponse<String>> uploads = new ArrayList<>();
        List<HttpResponse<String>> insights = new ArrayList<>();
        List<HttpResponse<String>> segments = new ArrayList<>();
        for (int copy = 0; copy < 2; copy++) { // the second of each is a client's retry after a lost answer
            uploads.add(gateway.withToken(null).requestWithHeaders("POST", "/api/v1/customers", upload.toString(),
                    Map.of("customerscore-key", token, "Content-Type", json, "Idempotency-Key", "upload-2026-11-02")));
            insights.add(gateway.requestWithHeaders("POST", "/v1/customer-insights",
                    "customer_id=u1&insight_type=purchase_behavior&details=Buys+electronics.",
                    Map.of("Authorization", "Bearer " + token, "Content-Type", "application/x-www-form-urlencoded", "Idempotency-Key", "insight-u1")));
            segments.add(gateway.requestWithHeaders("POST", "/v1/customer-segments",
                    "{\"name\":\"Big spenders\",\"criteria\":\"total_spent > 1000\",\"description\":\"Spent over 1000\"}",
                    Map.of("Authorization", "Bearer " + token, "Content-Type", json, "Idempotency-Key", "segment-big-spenders")));
        }
        List<String> notes = new ArrayList<>();
        for (List<HttpResponse<String>> pair : List.of(uploads, insights, segments)) {
            HttpResponse<String> first = pair.get(0);
            HttpResponse<String> retry = pair.get(1);
            assertThat(first.statusCode()).as(first.body()).isBetween(200, 201);
            assertThat(retry.statusCode()).isEqualTo(first.statusCode());
            assertThat(retry.body()).as("the retry gets the first answer").isEqualTo(first.body());
            assertThat(retry.headers().firstValue("Idempotent-Replayed")).contains("true");
            notes.add(first.request().uri().getPath() + ": " + first.statusCode() + ", retry " + retry.statusCode()
                    + " Idempotent-Replayed: true, same body");
        }
        String uploadId = Http.json(uploads.get(0)).get("upload_id").asText();
        PipelineDrain.await(cluster.bootstrapServers(), DRAIN);
        Await.until("every customer of the upload scored", () -> count("health_scores FINAL", workspace, "") == customers);

        long storedCustomers = count("customers FINAL", workspace, "");
        long metricRows = count("customer_metrics FINAL", workspace, "");
        long uploadIds = Long.parseLong(cluster.clickhouse().execute("SELECT uniqExact(upload_id) FROM " + cluster.database()
                + ".customer_metrics WHERE workspace_id = '" + workspace + "'").trim());
        long rescored = count("health_scores FINAL", workspace, " AND previous_score IS NOT NULL");
        long scoredByOurUpload = count("health_scores FINAL", workspace, " AND upload_id = '" + uploadId + "'");
        long storedInsights = count("customer_insights FINAL", workspace, " AND deleted = 0");
        long storedSegments = count("customer_segments FINAL", workspace, "");
        notes.add("customers " + storedCustomers + ", metric rows " + metricRows + " from " + uploadIds + " upload id(s); scores "
                + scoredByOurUpload + " by " + uploadId + ", rescored by a second upload " + rescored);
        notes.add("insights " + storedInsights + ", segments " + storedSegments);
        long expectedRows = customers + customers * 2L + 1 + 1;
        long storedRows = storedCustomers + metricRows + storedInsights + storedSegments;
        FaultFigures result = new FaultFigures("an upload, an insight and a segment POSTed twice with one Idempotency-Key each",
                2L * (customers + customers * 2L + 1 + 1), expectedRows, storedRows, Math.max(0, storedRows - expectedRows) + rescored,
                Math.max(0, expectedRows - storedRows), 0, storedRows, customers, customers - scoredByOurUpload, List.of(), notes);
        figures.add(result);
        System.out.println(result.report());
        assertThat(uploadIds).as("one upload processed").isEqualTo(1);
        assertThat(storedCustomers).isEqualTo(customers);
        assertThat(metricRows).isEqualTo(customers * 2L);
        assertThat(rescored).as("no customer scored a second time").isZero();
        assertThat(scoredByOurUpload).isEqualTo(customers);
        assertThat(storedInsights).isEqualTo(1);
        assertThat(storedSegments).isEqualTo(1);
        assertThat(result.duplicated()).as("duplicated").isZero();
        assertThat(result.lost()).as("lost").isZero();
    }

    private long count(String tableAndModifier, String workspace, String andWhere) {
        return Long.parseLong(cluster.clickhouse().execute("SELECT count() FROM " + cluster.database() + "." + tableAndModifier
                + " WHERE workspace_id = '" + workspace + "'" + andWhere).trim());
    }

    @Test
    @Order(6)
    void undecodableBytesOnTheInputTopicsGoToTheDeadLetterTopic() throws Exception {
        String workspace = "faults-dlq";
        Http gateway = cluster.writes(workspaceToken(workspace));
        // a real record first (in a workspace of its own), for a valid Confluent header: magic byte + a registered schema id
        try (EventLoad first = new EventLoad(cluster.writes(workspaceToken(workspace + "-header")), new EventLoad.Plan("d0", 100, 10, 100, 1, 10_000)).start()) {
            first.awaitDone(Duration.ofMinutes(2));
        }
        byte[] header = firstValueHeader(Topics.CUSTOMER_EVENTS);
        List<byte[]> bad = List.of(
                "{\"event_id\":\"json, not avro\"}".getBytes(StandardCharsets.UTF_8),
                new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 4, 6}, // magic byte, a schema id nobody registered
                concat(header, new byte[] {2, 4}));               // a registered schema id, then a truncated record
        List<RecordMetadata> written = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = rawProducer()) {
            for (String topic : List.of(Topics.CUSTOMER_EVENTS, Topics.CUSTOMER_METRICS)) {
                for (byte[] value : bad) {
                    written.add(producer.send(new ProducerRecord<>(topic, (workspace + "|bad").getBytes(StandardCharsets.UTF_8), value)).get(30, TimeUnit.SECONDS));
                }
            }
        }
        try (EventLoad load = new EventLoad(gateway, new EventLoad.Plan("d", 5_000, 100, 500, 2, 10_000)).start()) {
            load.awaitDone(Duration.ofMinutes(5));
            PipelineDrain.await(cluster.bootstrapServers(), DRAIN);
            Map<String, Set<String>> consumersByRecord = deadLetterConsumers();
            List<String> notes = new ArrayList<>();
            for (RecordMetadata record : written) {
                String where = record.topic() + "-" + record.partition() + "@" + record.offset();
                notes.add("dead letters for " + where + ": " + consumersByRecord.getOrDefault(where, Set.of()));
            }
            FaultFigures result = finish("undecodable bytes written to customer_events and customer_metrics", workspace, load, notes);
            for (RecordMetadata record : written) {
                String where = record.topic() + "-" + record.partition() + "@" + record.offset();
                String streamsApp = record.topic().equals(Topics.CUSTOMER_EVENTS) ? ConsumerGroups.CUSTOMER_ANALYTICS_APP : ConsumerGroups.HEALTH_SCORES_APP;
                assertThat(consumersByRecord.get(where)).as("dead letters for " + where)
                        .contains("sink:" + record.topic(), "streams:" + streamsApp);
            }
            assertThat(result.stored()).isEqualTo(5_000);
        }
    }

    /** Drains the pipeline, measures, prints and asserts the scenario's figures. */
    private FaultFigures finish(String scenario, String workspace, EventLoad load, List<String> notes) throws Exception {
        assertThat(load.unexpected()).as("answers a retrying client must not get").isEmpty();
        PipelineDrain.await(cluster.bootstrapServers(), DRAIN);
        FaultFigures result = FaultFigures.measure(scenario, cluster.clickhouse(), cluster.database(), workspace, load, notes);
        figures.add(result);
        System.out.println(result.report());
        result.assertExact(load.plan().events());
        return result;
    }

    /** What an event costs on disk here, for the capacity guide: Kafka's log and ClickHouse's compressed parts, per record. */
    private String sizes() throws Exception {
        try (Admin admin = cluster.admin()) {
            long records = PipelineLag.endOffsets(admin, Topics.CUSTOMER_EVENTS);
            long kafkaBytes = 0;
            for (var dir : admin.describeLogDirs(admin.describeCluster().nodes().get().stream().map(n -> n.id()).toList())
                    .allDescriptions().get().values()) {
                for (var logDir : dir.values()) {
                    kafkaBytes += logDir.replicaInfos().entrySet().stream().filter(e -> e.getKey().topic().equals(Topics.CUSTOMER_EVENTS))
                            .mapToLong(e -> e.getValue().size()).sum();
                }
            }
            String[] parts = cluster.clickhouse().execute("SELECT sum(data_compressed_bytes), sum(data_uncompressed_bytes), sum(rows) FROM system.parts"
                    + " WHERE database = '" + cluster.database() + "' AND table = 'customer_events' AND active").trim().split("\t");
            long rows = Math.max(1, Long.parseLong(parts[2]));
            return String.format("sizes: customer_events in Kafka %d bytes per record (%d records, lz4), in ClickHouse %d bytes per row"
                    + " compressed, %d uncompressed (%d rows)", kafkaBytes / Math.max(1, records), records,
                    Long.parseLong(parts[0]) / rows, Long.parseLong(parts[1]) / rows, rows);
        }
    }

    private String workspaceToken(String workspace) throws InterruptedException {
        return cluster.workspaceToken(workspace);
    }

    /** Waits until the sink has stored {@code atLeast} of the workspace's events; returns how many. */
    private long awaitStored(String workspace, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        long stored;
        while ((stored = count("customer_events", workspace, "")) < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + stored + " events stored after 3 minutes:\n" + cluster.logs());
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return stored;
    }

    private static long lag(Admin admin, String group) throws Exception {
        return PipelineLag.behind(admin).stream().filter(b -> b.group().equals(group)).mapToLong(b -> b.end() - b.committed()).sum();
    }

    private KafkaProducer<byte[], byte[]> rawProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<byte[], byte[]> rawConsumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The first five bytes (magic byte and schema id) of a record the gateway wrote to {@code topic}. */
    private byte[] firstValueHeader(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = rawConsumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() != null && record.value().length > 5 && record.value()[0] == 0) {
                        return java.util.Arrays.copyOf(record.value(), 5);
                    }
                }
            }
        }
        throw new AssertionError("no Avro record on " + topic);
    }

    /** {@code topic-partition@offset} of each dead letter's source → the consumers that dead-lettered it. */
    private Map<String, Set<String>> deadLetterConsumers() {
        Map<String, Set<String>> byRecord = new java.util.TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = rawConsumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(DeadLetters.TOPIC).stream()
                    .map(p -> new TopicPartition(DeadLetters.TOPIC, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> letter : consumer.poll(Duration.ofMillis(500))) {
                    String where = header(letter, "tributary.source.topic") + "-" + header(letter, "tributary.source.partition")
                            + "@" + header(letter, "tributary.source.offset");
                    assertThat(header(letter, "tributary.reason")).as("dead letter of " + where + " gives a reason").isNotBlank();
                    byRecord.computeIfAbsent(where, k -> new HashSet<>()).add(header(letter, "tributary.consumer"));
                }
            }
        }
        return byRecord;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
