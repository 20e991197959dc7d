package io.tributary.gateway.events;

import static io.tributary.gateway.events.GatewayHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.gateway.events.GatewayHarness.Caller;
import io.tributary.platform.registry.EmbeddedSchemaRegistry;
import io.tributary.platform.kafka.ConsumerGroupProgress;
import io.tributary.platform.kafka.ConsumerGroups;
import io.tributary.platform.kafka.EmbeddedKafkaBroker;
import io.tributary.platform.kafka.KafkaClients;
import io.tributary.platform.kafka.TopicBootstrap;
import io.tributary.platform.testing.KafkaBrokerExtension;
import io.tributary.schemas.Datasources;
import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.CustomerEvent;
import io.tributary.schemas.avro.QuarantineRecord;
import io.tributary.schemas.serde.AvroDeserializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Events API over real HTTP against a real broker (the schema registry is the in-memory test fake). */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventsApiIT {
    private static final EventsLimits LIMITS = EventsLimits.defaults()
            .withMaxBodyBytes(256 * 1024)
            .withMaxDecodedBytes(1024 * 1024)
            .withMaxRows(1_000)
            .withMaxRowBytes(8 * 1024)
            .withMaxStringChars(1_024)
            .withWaitTimeout(Duration.ofSeconds(30));

    private KafkaClients clients;
    private Admin admin;
    private EmbeddedSchemaRegistry registry;
    private ConsumerGroupProgress progress;
    private GatewayHarness gateway;
    private AvroDeserializer<CustomerEvent> events;
    private AvroDeserializer<QuarantineRecord> quarantined;

    @BeforeAll
    void start(EmbeddedKafkaBroker broker) {
        clients = new KafkaClients(broker.bootstrapServers());
        admin = clients.admin("events-it");
        TopicBootstrap.ensureTopics(admin, EventsApi.topics(3), (short) 1);
        registry = EmbeddedSchemaRegistry.start(clients, (short) 1);
        progress = ConsumerGroupProgress.start(admin);
        gateway = new GatewayHarness(clients, registry, progress, LIMITS);
        events = AvroDeserializer.specific(registry, CustomerEvent.class);
        quarantined = AvroDeserializer.specific(registry, QuarantineRecord.class);
    }

    @AfterAll
    void stop() {
        gateway.close();
        progress.close();
        registry.close();
        admin.close();
    }

    private List<ConsumerRecord<String, byte[]>> eventRecords(Caller caller) {
        return gateway.read(Topics.CUSTOMER_EVENTS, caller.keyPrefix(), r -> r);
    }

    private List<CustomerEvent> eventsOf(Caller caller) {
        return gateway.read(Topics.CUSTOMER_EVENTS, caller.keyPrefix(), r -> events.deserialize(r.topic(), r.value()));
    }

    private List<QuarantineRecord> quarantineOf(Caller caller) {
        return gateway.read(Topics.QUARANTINE, caller.keyPrefix(), r -> quarantined.deserialize(r.topic(), r.value())).stream()
                .sorted(Comparator.comparingLong(QuarantineRecord::getLineNumber)).toList();
    }

    private static String event(String id, String customer) {
        return "{\"event_id\":\"" + id + "\",\"customer_id\":\"" + customer
                + "\",\"event_type\":\"view\",\"event_timestamp\":\"2024-03-01T10:00:00Z\"}";
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(json(response).path("error").path("code").asText()).isEqualTo(code);
    }

    @Test
    void theSeedsCurlExampleIsAcceptedAndProducedAsConfluentAvro() {
        Caller caller = gateway.caller("events:append:customer_events");
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        // exactly what `curl -d '<body>'` sends: the body as typed, declared as a form
        HttpResponse<String> response = gateway.send(gateway.request("?name=customer_events", caller.token())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(SeedExamples.CUSTOMER_EVENT_CURL_BODY)).build());
        Instant after = Instant.now();

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(json(response)).isEqualTo(json("{\"successful_rows\":1,\"quarantined_rows\":0}"));
        List<ConsumerRecord<String, byte[]>> records = eventRecords(caller);
        assertThat(records).hasSize(1);
        ConsumerRecord<String, byte[]> record = records.get(0);
        assertThat(record.key()).isEqualTo(caller.workspace() + "|cust-789");
        byte[] value = record.value();
        int registeredId = registry.lookup(Topics.valueSubject(Topics.CUSTOMER_EVENTS), CustomerEvent.getClassSchema()).orElseThrow().id();
        assertThat(registeredId).isPositive();
        assertThat(value[0]).isZero();
        assertThat(ByteBuffer.wrap(value, 1, 4).getInt()).isEqualTo(registeredId);

        CustomerEvent e = events.deserialize(record.topic(), value);
        assertThat(e.getWorkspaceId()).isEqualTo(caller.workspace());
        assertThat(e.getEventId()).isEqualTo("ev-12345");
        assertThat(e.getCustomerId()).isEqualTo("cust-789");
        assertThat(e.getEventType()).isEqualTo("purchase");
        assertThat(e.getEventTimestamp()).isEqualTo(Instant.parse("2023-06-15T14:30:45Z"));
        assertThat(e.getSessionId()).isEqualTo("sess-456");
        assertThat(e.getPageUrl()).isEqualTo("https://example.com/product/123");
        assertThat(e.getProductId()).isEqualTo("prod-123");
        assertThat(e.getCategoryId()).isEqualTo("cat-456");
        assertThat(e.getPrice()).isEqualTo(new BigDecimal("49.9900"));
        assertThat(e.getQuantity()).isEqualTo(1);
        assertThat(e.getDeviceType()).isEqualTo("mobile");
        assertThat(e.getCountry()).isEqualTo("US");
        assertThat(e.getReferrer()).isEqualTo("google.com");
        assertThat(e.getUserAgent()).isEqualTo("Mozilla/5.0 (iPhone; CPU iPhone OS 13_2_3 like Mac OS X)");
        assertThat(e.getIngestedAt()).isBetween(before, after);
    }

    @Test
    void aSegmentWhoseRuleDoesNotParseIsQuarantinedWithThePosition() {
        Caller caller = gateway.caller("events:append:customer_segments");
        String body = "{\"segment_id\":\"s1\",\"segment_name\":\"vip\",\"segment_rules\":\"total_spent > 1000 AND session_count > 10\"}\n"
                + "{\"segment_id\":\"s2\",\"segment_name\":\"broken\",\"segment_rules\":\"total_spent > 1000 AND session_count 10\"}\n";
        HttpResponse<String> response = gateway.post("?name=customer_segments", caller.token(), body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode json = json(response);
        assertThat(json.path("successful_rows").asLong()).isEqualTo(1);
        assertThat(json.path("quarantine").get(0)).isEqualTo(json("{\"row\":2,\"field\":\"segment_rules\",\"message\":"
                + "\"rule does not parse: expected a comparison operator at position 38, found '10'\"}"));
        List<QuarantineRecord> rejected = quarantineOf(caller);
        assertThat(rejected).singleElement().satisfies(q -> {
            assertThat(q.getDatasource()).isEqualTo("customer_segments");
            assertThat(q.getLineNumber()).isEqualTo(2);
            assertThat(q.getColumn()).isEqualTo("segment_rules");
            assertThat(q.getReason()).contains("at position 38");
        });
    }

    @Test
    void aMixedNdjsonBatchProducesTheValidRowsAndQuarantinesTheRest() {
        Caller caller = gateway.caller("events:append");
        String requestId = "mixed-" + UUID.randomUUID().toString().substring(0, 8);
        String[] lines = {
                "{\"event_id\":\"e1\",\"customer_id\":\"c1\",\"event_type\":\"view\",\"event_timestamp\":\"2024-03-01 10:00:00\","
                        + "\"workspace_id\":\"not-mine\",\"unmapped\":{\"x\":1}}",
                "{\"event_id\": \"e2\", \"customer_id\": ",
                "",
                "{\"event_id\":\"e4\",\"event_type\":\"view\",\"event_timestamp\":\"2024-03-01 10:00:00\"}",
                "{\"event_id\":\"e5\",\"customer_id\":\"c5\",\"event_type\":\"purchase\",\"event_timestamp\":\"2024-03-01T10:00:00.250+01:00\",\"price\":\"19.5\",\"quantity\":3}\r",
                "{\"event_id\":\"e6\",\"customer_id\":\"c6\",\"event_type\":\"view\",\"event_timestamp\":\"2023-02-30 10:00:00\"}",
                "{\"event_id\":\"e7\",\"customer_id\":\"c7\",\"event_type\":\"view\",\"event_timestamp\":\"2024-03-01 10:00:00\",\"price\":1.23456}",
        };
        HttpResponse<String> response = gateway.send(gateway.request("?name=customer_events", caller.token())
                .header("X-Request-Id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", lines) + "\n")).build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(response.headers().firstValue("X-Request-Id")).contains(requestId);
        JsonNode body = json(response);
        assertThat(body.path("successful_rows").asLong()).isEqualTo(2);
        assertThat(body.path("quarantined_rows").asLong()).isEqualTo(4);
        JsonNode problems = body.path("quarantine");
        assertThat(problems).hasSize(4);
        assertThat(problems.get(0).path("row").asLong()).isEqualTo(2);
        assertThat(problems.get(0).has("field")).isFalse();
        assertThat(problems.get(0).path("message").asText()).startsWith("malformed JSON");
        assertThat(problems.get(1)).isEqualTo(json("{\"row\":4,\"field\":\"customer_id\",\"message\":\"required field is missing\"}"));
        assertThat(problems.get(2)).isEqualTo(json("{\"row\":6,\"field\":\"event_timestamp\",\"message\":"
                + "\"'2023-02-30 10:00:00' is not a valid timestamp: day 30 does not exist in 2023-02\"}"));
        assertThat(problems.get(3).path("row").asLong()).isEqualTo(7);
        assertThat(problems.get(3).path("field").asText()).isEqualTo("price");
        assertThat(problems.get(3).path("message").asText()).contains("more than 4 decimal places");

        List<CustomerEvent> produced = eventsOf(caller).stream().sorted(Comparator.comparing(CustomerEvent::getEventId)).toList();
        assertThat(produced).extracting(CustomerEvent::getEventId).containsExactly("e1", "e5");
        assertThat(produced).extracting(CustomerEvent::getWorkspaceId).containsOnly(caller.workspace());
        assertThat(produced.get(1).getEventTimestamp()).isEqualTo(Instant.parse("2024-03-01T09:00:00.250Z"));
        assertThat(produced.get(1).getPrice()).isEqualTo(new BigDecimal("19.5000"));

        List<QuarantineRecord> rejected = quarantineOf(caller);
        assertThat(rejected).extracting(QuarantineRecord::getLineNumber).containsExactly(2L, 4L, 6L, 7L);
        assertThat(rejected).extracting(QuarantineRecord::getColumn).containsExactly(null, "customer_id", "event_timestamp", "price");
        assertThat(rejected).extracting(QuarantineRecord::getRawLine).containsExactly(lines[1], lines[3], lines[5], lines[6]);
        assertThat(rejected).allSatisfy(q -> {
            assertThat(q.getWorkspaceId()).isEqualTo(caller.workspace());
            assertThat(q.getDatasource()).isEqualTo("customer_events");
            assertThat(q.getRequestId()).isEqualTo(requestId);
            assertThat(q.getIngestedAt()).isNotNull();
        });
        assertThat(rejected.get(0).getReason()).startsWith("malformed JSON");
        assertThat(rejected.get(1).getReason()).isEqualTo("required field is missing");
    }

    @Test
    void whenEveryRowIsInvalidTheAnswerIs400WithDetailsAndTheRowsAreQuarantined() {
        Caller caller = gateway.caller("admin");
        HttpResponse<String> response = gateway.post("?name=customer_events", caller.token(),
                "{\"event_id\":\"x\"}\n[1,2,3]\n");

        assertError(response, 400, "BAD_REQUEST");
        JsonNode error = json(response).path("error");
        assertThat(error.path("message").asText()).contains("all 2 rows were invalid");
        assertThat(error.path("details")).isEqualTo(json("["
                + "{\"field\":\"customer_id\",\"row\":1,\"message\":\"required field is missing (also missing: event_type, event_timestamp)\"},"
                + "{\"row\":2,\"message\":\"a row must be a JSON object, got an array\"}]"));
        assertThat(quarantineOf(caller)).extracting(QuarantineRecord::getRawLine).containsExactly("{\"event_id\":\"x\"}", "[1,2,3]");
        assertThat(eventRecords(caller)).isEmpty();
    }

    @Test
    void theResponseListsTheFirstHundredProblemsButQuarantinesAll() {
        Caller caller = gateway.caller("admin");
        StringBuilder body = new StringBuilder(event("ok", "c1")).append('\n');
        for (int i = 0; i < 150; i++) {
            body.append("{\"event_id\":\"bad").append(i).append("\"}\n");
        }
        HttpResponse<String> response = gateway.post("?name=customer_events", caller.token(), body.toString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode json = json(response);
        assertThat(json.path("successful_rows").asLong()).isEqualTo(1);
        assertThat(json.path("quarantined_rows").asLong()).isEqualTo(150);
        assertThat(json.path("quarantine")).hasSize(100);
        assertThat(json.path("quarantine").get(99).path("row").asLong()).isEqualTo(101);
        assertThat(quarantineOf(caller)).hasSize(150);
    }

    @Test
    void aGzipBodyIsDecompressed() throws IOException {
        Caller caller = gateway.caller("events:append:customer_events");
        byte[] zipped = gzip(event("g1", "c1") + "\n" + event("g2", "c2") + "\n");
        HttpResponse<String> response = gateway.send(gateway.request("?name=customer_events", caller.token())
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(zipped)).build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(json(response)).isEqualTo(json("{\"successful_rows\":2,\"quarantined_rows\":0}"));
        assertThat(eventsOf(caller)).extracting(CustomerEvent::getEventId).containsExactlyInAnyOrder("g1", "g2");
    }

    @Test
    void theRowCountersAndProducerMetricsArePublished() {
        Caller caller = gateway.caller("admin");
        gateway.post("?name=customer_events", caller.token(), event("m1", "c1") + "\n{}\n");
        String metrics = gateway.get("/metrics").body();
        assertThat(metrics).containsPattern("tributary_ingest_rows_total\\{datasource=\"customer_events\",result=\"accepted\"} [1-9]");
        assertThat(metrics).containsPattern("tributary_ingest_rows_total\\{datasource=\"customer_events\",result=\"quarantined\"} [1-9]");
        assertThat(metrics).contains("tributary_ingest_produce_ack_latency_seconds_count{datasource=\"customer_events\"}");
        assertThat(metrics).contains("kafka_producer_");
    }

    /** Valid rows, just over the body limit. */
    private static String overTheLimit() {
        String line = event("big", "c1") + "\n";
        return line.repeat((int) (LIMITS.maxBodyBytes() / line.length()) + 1);
    }

    @Nested
    class Refusals {
        @Test
        void noTokenIs401() {
            assertError(gateway.post("?name=customer_events", null, event("a", "b")), 401, "UNAUTHORIZED");
        }

        @Test
        void anUnknownTokenIs401() {
            assertError(gateway.post("?name=customer_events", "not-a-token", event("a", "b")), 401, "UNAUTHORIZED");
        }

        @Test
        void aTokenForAnotherDatasourceIs403() {
            Caller caller = gateway.caller("events:append:customer_profiles");
            assertError(gateway.post("?name=customer_events", caller.token(), event("a", "b")), 403, "FORBIDDEN");
            assertThat(eventRecords(caller)).isEmpty();
        }

        @Test
        void aTokenWithoutAppendScopeIs403() {
            Caller caller = gateway.caller("pipes:read");
            assertError(gateway.post("?name=customer_events", caller.token(), event("a", "b")), 403, "FORBIDDEN");
        }

        @Test
        void anUnknownDatasourceIs404() {
            Caller caller = gateway.caller("admin");
            assertError(gateway.post("?name=no_such_datasource", caller.token(), event("a", "b")), 404, "NOT_FOUND");
        }

        @Test
        void aMissingNameIs400() {
            Caller caller = gateway.caller("admin");
            HttpResponse<String> response = gateway.post("", caller.token(), event("a", "b"));
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(json(response).path("error").path("details").get(0).path("field").asText()).isEqualTo("name");
        }

        @Test
        void aWaitThatIsNotABooleanIs400() {
            Caller caller = gateway.caller("admin");
            assertThat(gateway.post("?name=customer_events&wait=soon", caller.token(), event("a", "b")).statusCode()).isEqualTo(400);
        }

        @Test
        void anEmptyBodyIs400() {
            Caller caller = gateway.caller("admin");
            assertError(gateway.post("?name=customer_events", caller.token(), ""), 400, "BAD_REQUEST");
            assertError(gateway.post("?name=customer_events", caller.token(), "\n \r\n\n"), 400, "BAD_REQUEST");
        }

        @Test
        void aBodyOverTheLimitIs413() {
            Caller caller = gateway.caller("admin");
            String big = overTheLimit();
            assertThat(big.length()).isGreaterThan((int) LIMITS.maxBodyBytes());
            assertError(gateway.post("?name=customer_events", caller.token(), big), 413, "PAYLOAD_TOO_LARGE");
            assertThat(eventRecords(caller)).isEmpty();
        }

        @Test
        void aChunkedBodyOverTheLimitIs413() {
            Caller caller = gateway.caller("admin");
            byte[] big = overTheLimit().getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> response = gateway.send(gateway.request("?name=customer_events", caller.token())
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build());
            assertError(response, 413, "PAYLOAD_TOO_LARGE");
        }

        @Test
        void moreRowsThanTheLimitIs413BeforeAnyRowIsSent() {
            Caller caller = gateway.caller("admin");
            String tooMany = "{}\n".repeat(LIMITS.maxRows() + 1);
            HttpResponse<String> response = gateway.post("?name=customer_events", caller.token(), tooMany);
            assertError(response, 413, "PAYLOAD_TOO_LARGE");
            assertThat(json(response).path("error").path("message").asText())
                    .isEqualTo("the body holds more than 1000 rows, the limit per request: split it into several requests");
            assertThat(quarantineOf(caller)).isEmpty();
            // exactly the limit is fine: every row is quarantined and reported
            HttpResponse<String> atLimit = gateway.post("?name=customer_events", caller.token(), "{}\n".repeat(LIMITS.maxRows()));
            assertError(atLimit, 400, "BAD_REQUEST");
        }

        @Test
        void aRowLongerThanTheLimitIsQuarantinedUnparsedAndALongStringNamesItsField() {
            Caller caller = gateway.caller("admin");
            String longRow = "{\"event_id\":\"long\",\"customer_id\":\"c\",\"pad\":\"" + "x".repeat(LIMITS.maxRowBytes()) + "\"}";
            String longString = event("s", "c").replace("\"c\"", "\"" + "y".repeat(LIMITS.maxStringChars() + 1) + "\"");
            HttpResponse<String> response = gateway.post("?name=customer_events", caller.token(),
                    event("ok-long", "c") + "\n" + longRow + "\n" + longString + "\n");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            assertThat(json(response).path("quarantine")).isEqualTo(json("["
                    + "{\"row\":2,\"message\":\"row of " + longRow.length() + " bytes is longer than the limit of 8192 bytes\"},"
                    + "{\"field\":\"customer_id\",\"row\":3,\"message\":\"string of 1025 characters is longer than the limit of 1024\"}]"));
        }

        @Test
        void invalidUtf8AndDeepNestingAreQuarantinedSayingWhere() {
            Caller caller = gateway.caller("admin");
            byte[] bad = (event("u", "c\u00e9") + "\n{\"customer_id\":\"c\",\"x\":" + "[".repeat(65) + "]".repeat(65) + "}\n")
                    .getBytes(StandardCharsets.UTF_8);
            int e9 = new String(bad, StandardCharsets.ISO_8859_1).indexOf('\u00c3');
            bad[e9] = (byte) 0xFF;
            HttpResponse<String> response = gateway.send(gateway.request("?name=customer_events", caller.token())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bad)).build());
            assertError(response, 400, "BAD_REQUEST");
            JsonNode details = json(response).path("error").path("details");
            assertThat(details.get(0).path("message").asText()).startsWith("malformed JSON at column").contains("Invalid UTF-8");
            assertThat(details.get(1).path("message").asText())
                    .isEqualTo("malformed JSON: Document nesting depth (65) exceeds the maximum allowed (64)");
        }

        @Test
        void aGzipBombIs413() throws IOException {
            Caller caller = gateway.caller("admin");
            byte[] bomb = gzip(" ".repeat(2 * 1024 * 1024) + event("z", "c"));
            assertThat(bomb.length).isLessThan((int) LIMITS.maxBodyBytes());
            HttpResponse<String> response = gateway.send(gateway.request("?name=customer_events", caller.token())
                    .header("Content-Encoding", "gzip")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bomb)).build());
            assertError(response, 413, "PAYLOAD_TOO_LARGE");
            assertThat(json(response).path("error").path("message").asText()).contains("decompressed");
        }
    }

    @Nested
    class WaitForVisibility {
        @Test
        void theAnswerComesOnlyAfterTheSinkGroupCommittedPastTheRows() throws Exception {
            Caller caller = gateway.caller("admin");
            String eventId = "wait-" + UUID.randomUUID();
            CompletableFuture<HttpResponse<String>> response = gateway.sendAsync(gateway.request("?name=customer_events&wait=true", caller.token())
                    .POST(HttpRequest.BodyPublishers.ofString(event(eventId, "c-wait"))).build());

            // Play the store sink: read the row from Kafka in the sink's group, then commit.
            try (KafkaConsumer<String, byte[]> sink = clients.consumer("fake-sink", ConsumerGroups.sink(Datasources.CUSTOMER_EVENTS.topic()),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = sink.partitionsFor(Topics.CUSTOMER_EVENTS).stream()
                        .map(p -> new TopicPartition(Topics.CUSTOMER_EVENTS, p.partition())).toList();
                sink.assign(partitions);
                boolean seen = false;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!seen && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, byte[]> r : sink.poll(Duration.ofMillis(100))) {
                        seen |= events.deserialize(r.topic(), r.value()).getEventId().equals(eventId);
                    }
                }
                assertThat(seen).as("the sink read the row").isTrue();
                assertThat(response).as("no answer before the sink committed").isNotDone();
                sink.commitSync();
            }

            HttpResponse<String> answer = response.get(60, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(json(answer)).isEqualTo(json("{\"successful_rows\":1,\"quarantined_rows\":0}"));
        }

        @Test
        void withoutACommitTheAnswerIs202WithAWarningAfterTheWaitTimeout() {
            try (GatewayHarness impatient = new GatewayHarness(clients, registry, progress, LIMITS.withWaitTimeout(Duration.ofMillis(300)))) {
                Caller caller = impatient.caller("admin");
                HttpResponse<String> response = impatient.post("?name=customer_events&wait=true", caller.token(), event("nobody-commits", "c"));
                assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
                JsonNode body = json(response);
                assertThat(body.path("successful_rows").asLong()).isEqualTo(1);
                assertThat(body.path("warning").asText()).contains("not be visible to queries yet");
            }
        }

        @Test
        void waitFalseAnswers202WithoutWaiting() {
            Caller caller = gateway.caller("admin");
            HttpResponse<String> response = gateway.post("?name=customer_events&wait=false", caller.token(), event("nowait", "c"));
            assertThat(response.statusCode()).isEqualTo(202);
            assertThat(json(response).has("warning")).isFalse();
        }
    }
}
