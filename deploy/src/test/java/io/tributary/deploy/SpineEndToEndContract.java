package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.platform.store.AnalyticsStore;
import io.tributary.platform.store.BoundQuery;
import io.tributary.platform.store.QueryParam;
import io.tributary.platform.store.QueryResult;
import io.tributary.platform.store.StoreDialect;
import io.tributary.platform.auth.TokenStore;
import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.CustomerEvent;
import io.tributary.schemas.avro.CustomerStats;
import io.tributary.schemas.avro.QuarantineRecord;
import io.tributary.schemas.registry.HttpSchemaRegistryClient;
import io.tributary.schemas.registry.SchemaRegistry;
import io.tributary.schemas.serde.AvroDeserializer;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import io.tributary.platform.config.Setting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The spine's end-to-end acceptance test, run against a real all-in-one node (embedded broker,
 * embedded registry, stream processors, HTTP) with each store: 10,000 NDJSON lines with 100
 * replayed event ids and 50 malformed lines go in through the Events API; the pipe, the
 * quarantine topic and customer_stats must agree exactly with what the test computes itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SpineEndToEndContract {
    private static final String WORKSPACE = TokenStore.DEFAULT_WORKSPACE;

    private TestNodes.TempNode running;
    protected TributaryNode node;
    protected Http http;

    /** Settings of the node under test beyond the test defaults (each subclass picks its store). */
    protected abstract Map<Setting, String> storeSettings() throws Exception;

    @BeforeAll
    void startNode() throws Exception {
        running = TestNodes.startInTempDir("tributary-e2e-", storeSettings());
        node = running.node();
        http = running.http();
    }

    @AfterAll
    void stopNode() {
        if (running != null) {
            running.close();
        }
    }

    private SchemaRegistry registryClient() {
        return HttpSchemaRegistryClient.builder("http://127.0.0.1:" + node.httpPort() + TributaryNode.REGISTRY_PATH)
                .bearerToken(TestNodes.ADMIN_TOKEN).build();
    }

    @Test
    void tenThousandLinesWithReplaysAndMalformedRowsArriveExactlyOnce() throws Exception {
        SpineDataset data = new SpineDataset(42, 200, 9_850, 100, 50);
        assertThat(data.lines).hasSize(10_000);

        // 1. Ingest in four requests; wait=true makes every accepted row queryable on return.
        long successful = 0;
        long quarantined = 0;
        Map<String, Set<Long>> malformedLinesByRequest = new HashMap<>();
        Map<String, Map<Long, String>> faultyFieldByRequest = new HashMap<>();
        for (List<SpineDataset.Line> chunk : data.chunks(2_500)) {
            String body = chunk.stream().map(SpineDataset.Line::text).collect(Collectors.joining("\n"));
            HttpResponse<String> response = http.post("/v0/events?name=customer_events&wait=true", body);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode json = Http.json(response);
            successful += json.get("successful_rows").asLong();
            quarantined += json.get("quarantined_rows").asLong();
            String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
            for (int i = 0; i < chunk.size(); i++) {
                if (chunk.get(i).malformed()) {
                    malformedLinesByRequest.computeIfAbsent(requestId, k -> new HashSet<>()).add(i + 1L);
                    faultyFieldByRequest.computeIfAbsent(requestId, k -> new HashMap<>()).put(i + 1L, chunk.get(i).faultyField());
                }
            }
        }
        assertThat(successful).isEqualTo(9_950); // replays are valid rows; they are dropped downstream
        assertThat(quarantined).isEqualTo(50);

        // 2. The pipe returns exactly the 9,850 distinct events, each once, with the posted values.
        Map<String, List<SpineDataset.Event>> expectedByCustomer = data.events.values().stream()
                .collect(Collectors.groupingBy(SpineDataset.Event::customerId));
        Set<String> returned = new HashSet<>();
        for (Map.Entry<String, List<SpineDataset.Event>> entry : expectedByCustomer.entrySet()) {
            HttpResponse<String> response = http.get("/v0/pipes/customer_activity.json?customer_id=" + entry.getKey() + "&limit=100000");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode rows = Http.json(response).get("data");
            List<String> ids = new ArrayList<>();
            for (JsonNode row : rows) {
                String id = row.get("event_id").asText();
                ids.add(id);
                SpineDataset.Event expected = data.events.get(id);
                assertThat(expected).as("unexpected event %s", id).isNotNull();
                assertThat(row.get("customer_id").asText()).isEqualTo(expected.customerId());
                assertThat(row.get("event_type").asText()).isEqualTo(expected.type());
                assertThat(row.get("event_timestamp").asText()).isEqualTo(expected.timestamp());
                if (expected.price() == null) {
                    assertThat(row.get("price").isNull()).isTrue();
                } else {
                    assertThat(row.get("price").decimalValue()).isEqualByComparingTo(expected.price());
                }
            }
            assertThat(ids).doesNotHaveDuplicates();
            assertThat(ids).containsExactlyInAnyOrderElementsOf(entry.getValue().stream().map(SpineDataset.Event::eventId).toList());
            returned.addAll(ids);
        }
        assertThat(returned).hasSize(9_850).isEqualTo(data.events.keySet());

        // 3. The quarantine topic holds the 50 malformed lines, by request and line number, with reasons.
        SchemaRegistry registry = registryClient();
        List<QuarantineRecord> ours = TopicContents.readAll(node.kafkaBootstrap(), Topics.QUARANTINE,
                        AvroDeserializer.specific(registry, QuarantineRecord.class)).stream()
                .map(ConsumerRecord::value)
                .filter(q -> malformedLinesByRequest.containsKey(q.getRequestId()))
                .toList();
        assertThat(ours).hasSize(50);
        Map<String, Set<Long>> quarantinedLines = new HashMap<>();
        for (QuarantineRecord q : ours) {
            quarantinedLines.computeIfAbsent(q.getRequestId(), k -> new HashSet<>()).add(q.getLineNumber());
            assertThat(q.getDatasource()).isEqualTo("customer_events");
            assertThat(q.getWorkspaceId()).isEqualTo(WORKSPACE);
            assertThat(q.getReason()).isNotBlank();
            assertThat(q.getRawLine()).isNotBlank();
            String field = faultyFieldByRequest.get(q.getRequestId()).get(q.getLineNumber());
            if (field != null) {
                assertThat(q.getColumn()).as(q.getReason()).isEqualTo(field);
            }
        }
        assertThat(quarantinedLines).isEqualTo(malformedLinesByRequest);

        // 4. customer_stats (topic and store) agrees with counts computed here.
        Map<String, SpineDataset.Stats> expectedStats = normalized(data.expectedStats());
        assertThat(expectedStats).hasSize(200);
        Map<String, SpineDataset.Stats> fromTopic = awaitStats(expectedStats, registry);
        assertThat(fromTopic).isEqualTo(expectedStats);
        assertThat(storeStats(expectedStats)).isEqualTo(expectedStats);
    }

    private Map<String, SpineDataset.Stats> awaitStats(Map<String, SpineDataset.Stats> expected, SchemaRegistry registry) throws InterruptedException {
        Map<String, SpineDataset.Stats> actual = Map.of();
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            Map<String, CustomerStats> latest = new TreeMap<>();
            for (ConsumerRecord<String, CustomerStats> r : TopicContents.readAll(node.kafkaBootstrap(), Topics.CUSTOMER_STATS,
                    AvroDeserializer.specific(registry, CustomerStats.class))) {
                if (r.value() != null && r.value().getWorkspaceId().equals(WORKSPACE)) {
                    latest.put(r.value().getCustomerId(), r.value());
                }
            }
            actual = new TreeMap<>();
            for (CustomerStats s : latest.values()) {
                actual.put(s.getCustomerId(), new SpineDataset.Stats(s.getEventCount(), Map.copyOf(s.getEventsByType()),
                        s.getPurchaseCount(), s.getItemsPurchased(), s.getTotalSpent().stripTrailingZeros()));
            }
            if (normalized(actual).equals(normalized(expected))) {
                return normalized(actual);
            }
            Thread.sleep(250);
        }
        return normalized(actual);
    }

    private Map<String, SpineDataset.Stats> storeStats(Map<String, SpineDataset.Stats> expected) throws InterruptedException {
        AnalyticsStore store = node.store().orElseThrow();
        String fin = store.dialect() == StoreDialect.CLICKHOUSE ? " FINAL" : "";
        Map<String, SpineDataset.Stats> actual = Map.of();
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            QueryResult result = store.query(BoundQuery.of("SELECT customer_id, event_count, events_by_type_keys, events_by_type_values, "
                    + "purchase_count, items_purchased, total_spent FROM customer_stats" + fin + " WHERE workspace_id = ?", QueryParam.string(WORKSPACE)));
            actual = new TreeMap<>();
            for (List<Object> row : result.rows()) {
                Map<String, Long> byType = new HashMap<>();
                List<?> keys = (List<?>) row.get(2);
                List<?> values = (List<?>) row.get(3);
                for (int i = 0; i < keys.size(); i++) {
                    byType.put((String) keys.get(i), ((Number) values.get(i)).longValue());
                }
                actual.put((String) row.get(0), new SpineDataset.Stats(((Number) row.get(1)).longValue(), byType,
                        ((Number) row.get(4)).longValue(), ((Number) row.get(5)).longValue(), (BigDecimal) row.get(6)));
            }
            if (normalized(actual).equals(normalized(expected))) {
                break;
            }
            Thread.sleep(250);
        }
        return normalized(actual);
    }

    private static Map<String, SpineDataset.Stats> normalized(Map<String, SpineDataset.Stats> stats) {
        Map<String, SpineDataset.Stats> out = new TreeMap<>();
        stats.forEach((k, s) -> out.put(k, new SpineDataset.Stats(s.events(), Map.copyOf(s.byType()), s.purchases(), s.items(),
                s.spent().stripTrailingZeros())));
        return out;
    }

    @Test
    void aRawCustomerEventRecordIsConfluentWireFormatWithTheRegistrysId() throws Exception {
        HttpResponse<String> posted = http.post("/v0/events?name=customer_events&wait=true",
                "{\"event_id\":\"wire-1\",\"customer_id\":\"wire-customer\",\"event_type\":\"page_view\",\"event_timestamp\":\"2023-06-15 14:30:45\"}");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);

        ConsumerRecord<String, byte[]> raw = TopicContents.readAll(node.kafkaBootstrap(), Topics.CUSTOMER_EVENTS, new ByteArrayDeserializer())
                .stream().filter(r -> r.key().equals(WORKSPACE + "|wire-customer")).findFirst().orElseThrow();
        byte[] bytes = raw.value();
        assertThat(bytes[0]).isEqualTo((byte) 0);
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();

        JsonNode latest = Http.json(http.get("/schema-registry/subjects/customer_events-value/versions/latest"));
        assertThat(id).isEqualTo(latest.get("id").asInt());
        Schema schema = new Schema.Parser().parse(Http.json(http.get("/schema-registry/schemas/ids/" + id)).get("schema").asText());
        assertThat(schema).isEqualTo(CustomerEvent.getClassSchema());
        GenericRecord decoded = new GenericDatumReader<GenericRecord>(schema)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
        assertThat(decoded.get("event_id").toString()).isEqualTo("wire-1");
        assertThat(decoded.get("customer_id").toString()).isEqualTo("wire-customer");
        assertThat(decoded.get("workspace_id").toString()).isEqualTo(WORKSPACE);
        assertThat(decoded.get("event_timestamp")).isEqualTo(1686839445000L);
    }
}
