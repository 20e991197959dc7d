package io.tributary.platform.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.platform.kafka.EmbeddedKafkaBroker;
import io.tributary.platform.kafka.KafkaClients;
import io.tributary.platform.kafka.TopicBootstrap;
import io.tributary.platform.kafka.TopicSpec;
import io.tributary.platform.testing.KafkaBrokerExtension;
import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.CustomerEvent;
import io.tributary.schemas.registry.CompatibilityLevel;
import io.tributary.schemas.registry.HttpSchemaRegistryClient;
import io.tributary.schemas.registry.RegisteredSchema;
import io.tributary.schemas.registry.SchemaRegistryException;
import io.tributary.schemas.serde.AvroDeserializer;
import io.tributary.schemas.serde.AvroSerializer;
import io.tributary.schemas.serde.WireFormat;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every schema registry Tributary talks to must do, seen through {@link HttpSchemaRegistryClient}
 * and, for the error shapes, through raw HTTP. The same assertions run against the embedded
 * registry and a real Apicurio Registry; ids are compared only with each other, never to fixed
 * numbers, because registries allocate them differently.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(KafkaBrokerExtension.class)
abstract class SchemaRegistryContract {
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String run = Long.toHexString(System.nanoTime());
    private EmbeddedKafkaBroker broker;
    private HttpSchemaRegistryClient client;

    /** Starts the registry under test, once per class. */
    protected abstract void startRegistry(EmbeddedKafkaBroker broker) throws Exception;

    /** A builder of clients for the running registry, credentials included. */
    protected abstract HttpSchemaRegistryClient.Builder clientBuilder();

    protected abstract void stopRegistry() throws Exception;

    /** The Authorization header raw requests send, if the registry wants one. */
    protected abstract Optional<String> authorization();

    /**
     * Why the registry under test cannot run on this machine, if it cannot (known after
     * {@link #startRegistry}); every test is then skipped with this reason.
     */
    protected Optional<String> unavailable() {
        return Optional.empty();
    }

    @BeforeAll
    final void startAndConfigure(EmbeddedKafkaBroker sharedBroker) throws Exception {
        broker = sharedBroker;
        startRegistry(broker);
        if (unavailable().isPresent()) {
            return;
        }
        client = clientBuilder().build();
        client.setGlobalCompatibility(CompatibilityLevel.BACKWARD); // Apicurio starts at NONE
    }

    @BeforeEach
    final void requireRegistry() {
        // Per test rather than in @BeforeAll, so that reports list each test as skipped, with the reason.
        Assumptions.assumeTrue(unavailable().isEmpty(), () -> unavailable().orElseThrow());
    }

    @AfterAll
    final void stop() throws Exception {
        stopRegistry();
    }

    protected HttpSchemaRegistryClient client() {
        return client;
    }

    protected EmbeddedKafkaBroker broker() {
        return broker;
    }

    /** A subject no other test (or earlier run against the same registry) uses. */
    protected String subject(TestInfo test, String suffix) {
        return "contract-" + run + "-" + test.getTestMethod().orElseThrow().getName() + "-" + suffix;
    }

    @Test
    void registerReturnsAnIdAndReRegisteringReturnsTheSameId(TestInfo test) {
        String subject = subject(test, "value");
        Schema schema = ContractRecords.v1("Registered");

        int id = client.register(subject, schema);
        int again = client.register(subject, new Schema.Parser().parse(schema.toString()));

        assertThat(again).isEqualTo(id);
        assertThat(client.versions(subject)).containsExactly(1);
    }

    @Test
    void theSameSchemaUnderTwoSubjectsHasOneId(TestInfo test) {
        Schema schema = ContractRecords.v1("Shared");

        int first = client.register(subject(test, "a"), schema);
        int second = client.register(subject(test, "b"), schema);

        assertThat(second).isEqualTo(first);
        assertThat(client.versions(subject(test, "b"))).containsExactly(1);
    }

    @Test
    void lookupFindsARegisteredSchemaAndNothingElse(TestInfo test) throws Exception {
        String subject = subject(test, "value");
        Schema schema = ContractRecords.v1("Looked");
        int id = client.register(subject, schema);

        assertThat(client.lookup(subject, schema)).contains(new RegisteredSchema(subject, 1, id, schema));
        assertThat(client.lookup(subject, ContractRecords.v2WithOptionalField("Looked"))).isEmpty();
        assertThat(client.lookup(subject(test, "unknown"), schema)).isEmpty();

        assertError(post("/subjects/" + subject, schemaBody(ContractRecords.v2WithOptionalField("Looked"))), 404, 40403);
        assertError(post("/subjects/" + subject(test, "unknown"), schemaBody(schema)), 404, 40401);
    }

    @Test
    void schemaByIdReturnsTheSchemaAndUnknownIdsAreNotFound(TestInfo test) {
        Schema schema = ContractRecords.v1("ById");
        int id = client.register(subject(test, "value"), schema);
        HttpSchemaRegistryClient uncached = newClient();

        assertThat(uncached.schemaById(id)).isEqualTo(schema);
        assertRegistryError(() -> uncached.schemaById(987_654_321), 404, SchemaRegistryException.SCHEMA_NOT_FOUND);
    }

    @Test
    void subjectsAndVersionsAreListed(TestInfo test) {
        String subject = subject(test, "value");
        client.register(subject, ContractRecords.v1("Listed"));
        client.register(subject, ContractRecords.v2WithOptionalField("Listed"));

        assertThat(client.subjects()).contains(subject).doesNotContain(subject(test, "unknown"));
        assertThat(client.versions(subject)).containsExactly(1, 2);
        assertRegistryError(() -> client.versions(subject(test, "unknown")), 404, SchemaRegistryException.SUBJECT_NOT_FOUND);
    }

    @Test
    void versionsAndLatestAreReadBack(TestInfo test) {
        String subject = subject(test, "value");
        Schema v1 = ContractRecords.v1("Versioned");
        Schema v2 = ContractRecords.v2WithOptionalField("Versioned");
        int id1 = client.register(subject, v1);
        int id2 = client.register(subject, v2);

        assertThat(id2).isNotEqualTo(id1);
        assertThat(client.version(subject, 1)).isEqualTo(new RegisteredSchema(subject, 1, id1, v1));
        assertThat(client.version(subject, 2)).isEqualTo(new RegisteredSchema(subject, 2, id2, v2));
        assertThat(client.version(subject, -1)).isEqualTo(new RegisteredSchema(subject, 2, id2, v2));
        assertRegistryError(() -> client.version(subject, 3), 404, SchemaRegistryException.VERSION_NOT_FOUND);
        assertRegistryError(() -> client.version(subject(test, "unknown"), 1), 404, SchemaRegistryException.SUBJECT_NOT_FOUND);
    }

    @Test
    void reRegisteringAnOlderVersionAddsNoVersion(TestInfo test) {
        String subject = subject(test, "value");
        int id1 = client.register(subject, ContractRecords.v1("Older"));
        client.register(subject, ContractRecords.v2WithOptionalField("Older"));

        assertThat(client.register(subject, ContractRecords.v1("Older"))).isEqualTo(id1);
        assertThat(client.versions(subject)).containsExactly(1, 2);
    }

    @Test
    void compatibilityIsCheckedAgainstTheLatestVersion(TestInfo test) {
        String subject = subject(test, "value");
        client.register(subject, ContractRecords.v1("Checked"));

        assertThat(client.isCompatible(subject, ContractRecords.v2WithOptionalField("Checked"))).isTrue();
        assertThat(client.isCompatible(subject, ContractRecords.v2WithRequiredField("Checked"))).isFalse();
        assertThat(client.isCompatible(subject, ContractRecords.v2WithChangedType("Checked"))).isFalse();
        assertThat(client.isCompatible(subject(test, "unknown"), ContractRecords.v2WithChangedType("Checked"))).isTrue();
    }

    @Test
    void registeringAnIncompatibleSchemaIsAConflict(TestInfo test) {
        String subject = subject(test, "value");
        client.register(subject, ContractRecords.v1("Conflicting"));

        assertRegistryError(() -> client.register(subject, ContractRecords.v2WithRequiredField("Conflicting")),
                409, SchemaRegistryException.INCOMPATIBLE);
        assertThat(client.versions(subject)).containsExactly(1);
    }

    @Test
    void invalidAvroIsRejected(TestInfo test) throws Exception {
        assertError(post("/subjects/" + subject(test, "value") + "/versions", "{\"schema\": \"{\\\"type\\\": \\\"record\\\", \\\"name\\\": \"}"),
                422, SchemaRegistryException.INVALID_SCHEMA);
    }

    @Test
    void globalCompatibilityIsSetAndReadBack() throws Exception {
        try {
            client.setGlobalCompatibility(CompatibilityLevel.FULL);
            assertThat(client.globalCompatibility()).isEqualTo(CompatibilityLevel.FULL);

            client.setGlobalCompatibility(CompatibilityLevel.BACKWARD);
            assertThat(client.globalCompatibility()).isEqualTo(CompatibilityLevel.BACKWARD);
            JsonNode raw = json.readTree(send("GET", "/config", null).body());
            assertThat(raw.get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
        } finally {
            client.setGlobalCompatibility(CompatibilityLevel.BACKWARD);
        }
    }

    @Test
    void aSubjectLevelOverridesTheGlobalOne(TestInfo test) {
        String subject = subject(test, "value");
        client.register(subject, ContractRecords.v1("Forward"));

        client.setSubjectCompatibility(subject, CompatibilityLevel.FORWARD);

        assertThat(client.subjectCompatibility(subject)).contains(CompatibilityLevel.FORWARD);
        assertThat(client.globalCompatibility()).isEqualTo(CompatibilityLevel.BACKWARD);
        // A new required field breaks BACKWARD (new readers lack a default) but not FORWARD.
        assertThat(client.isCompatible(subject, ContractRecords.v2WithRequiredField("Forward"))).isTrue();
        int id2 = client.register(subject, ContractRecords.v2WithRequiredField("Forward"));
        assertThat(client.version(subject, -1).id()).isEqualTo(id2);
        assertThat(client.versions(subject)).containsExactly(1, 2);
    }

    @Test
    void aCustomerEventRoundTripsThroughKafkaWithTheRegistrysId(TestInfo test) {
        String topic = topic(test);
        CustomerEvent event = ContractRecords.customerEvent("evt_round_trip");

        produce(topic, List.of(event));
        List<byte[]> values = consumeRaw(topic, 1);

        RegisteredSchema registered = client.lookup(Topics.valueSubject(topic), CustomerEvent.getClassSchema()).orElseThrow();
        assertThat(values.get(0)[0]).isEqualTo(WireFormat.MAGIC_BYTE);
        assertThat(ByteBuffer.wrap(values.get(0), 1, 4).getInt()).isEqualTo(registered.id());
        assertThat(client.version(Topics.valueSubject(topic), -1).id()).isEqualTo(registered.id());
        AvroDeserializer<CustomerEvent> deserializer = AvroDeserializer.specific(newClient(), CustomerEvent.class);
        assertThat(deserializer.deserialize(topic, values.get(0))).isEqualTo(event);
    }

    @Test
    void aRecordWrittenWithANewerVersionIsReadAsTheGeneratedClass(TestInfo test) {
        String topic = topic(test);
        CustomerEvent first = ContractRecords.customerEvent("evt_v1");
        CustomerEvent second = ContractRecords.customerEvent("evt_v2");

        produce(topic, List.of(first, ContractRecords.asV2(second, "spring_sale")));
        List<byte[]> values = consumeRaw(topic, 2);

        String subject = Topics.valueSubject(topic);
        assertThat(client.versions(subject)).containsExactly(1, 2);
        assertThat(WireFormat.schemaId(values.get(1))).isEqualTo(client.version(subject, 2).id())
                .isNotEqualTo(WireFormat.schemaId(values.get(0)));
        AvroDeserializer<CustomerEvent> deserializer = AvroDeserializer.specific(newClient(), CustomerEvent.class);
        assertThat(deserializer.deserialize(topic, values.get(0))).isEqualTo(first);
        assertThat(deserializer.deserialize(topic, values.get(1))).isEqualTo(second);
    }

    protected HttpSchemaRegistryClient newClient() {
        return clientBuilder().build();
    }

    protected HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return send("POST", path, body);
    }

    protected HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(client.baseUrl() + path))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", HttpSchemaRegistryClient.CONTENT_TYPE)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        authorization().ifPresent(a -> request.header("Authorization", a));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected String schemaBody(Schema schema) throws IOException {
        return json.writeValueAsString(Map.of("schema", schema.toString()));
    }

    protected void assertError(HttpResponse<String> response, int status, int errorCode) throws IOException {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(status);
        JsonNode body = json.readTree(response.body());
        assertThat(body.path("error_code").asInt()).as("error_code of %s", response.body()).isEqualTo(errorCode);
        assertThat(body.path("message").asText()).isNotBlank();
    }

    protected static void assertRegistryError(Runnable call, int status, int errorCode) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
            assertThat(e.httpStatus()).as("HTTP status of: %s", e.getMessage()).isEqualTo(status);
            assertThat(e.errorCode()).as("error code of: %s", e.getMessage()).isEqualTo(errorCode);
        });
    }

    private String topic(TestInfo test) {
        String topic = "contract-" + run + "-" + test.getTestMethod().orElseThrow().getName();
        try (Admin admin = new KafkaClients(broker.bootstrapServers()).admin("contract-admin")) {
            TopicBootstrap.ensureTopics(admin, List.of(TopicSpec.appendOnly(topic, 1)), (short) 1);
        }
        return topic;
    }

    private void produce(String topic, List<? extends GenericContainer> records) {
        KafkaClients clients = new KafkaClients(broker.bootstrapServers());
        try (KafkaProducer<String, GenericContainer> producer = clients.producer("contract-producer", new StringSerializer(),
                new AvroSerializer<>(client, false))) {
            for (GenericContainer record : records) {
                producer.send(new ProducerRecord<>(topic, Topics.key("ws_contract", "cust_7"), record)).get();
            }
        } catch (Exception e) {
            throw new AssertionError("cannot produce to " + topic, e);
        }
    }

    private List<byte[]> consumeRaw(String topic, int count) {
        KafkaClients clients = new KafkaClients(broker.bootstrapServers());
        List<byte[]> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = clients.standaloneConsumer("contract-consumer",
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        assertThat(values).as("records read back from %s", topic).hasSize(count);
        return values;
    }
}
