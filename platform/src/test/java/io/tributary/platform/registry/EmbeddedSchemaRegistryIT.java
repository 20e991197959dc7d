package io.tributary.platform.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.platform.auth.Principal;
import io.tributary.platform.auth.RequestAuth;
import io.tributary.platform.auth.Scope;
import io.tributary.platform.http.HttpServer;
import io.tributary.platform.kafka.EmbeddedKafkaBroker;
import io.tributary.platform.kafka.KafkaClients;
import io.tributary.schemas.registry.CompatibilityLevel;
import io.tributary.schemas.registry.HttpSchemaRegistryClient;
import io.tributary.schemas.registry.RegisteredSchema;
import io.tributary.schemas.registry.SchemaRegistryException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The registry contract against the embedded registry over real HTTP: HttpSchemaRegistryClient →
 * HttpServer (Javalin) → SchemaRegistryRoutes → EmbeddedSchemaRegistry → the shared Kafka broker;
 * plus what only the embedded registry promises (restart, auth, its own topic layout).
 */
class EmbeddedSchemaRegistryIT extends SchemaRegistryContract {
    private static final String PREFIX = "/schema-registry";
    private static final String WRITER = "writer-token";
    private static final String READER = "reader-token";
    private static final String ADMIN = "admin-token";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Map<String, Principal> TOKENS = Map.of(
            WRITER, new Principal("ws_1", "tok_writer", Set.of(SchemaRegistryRoutes.WRITE_SCOPE)),
            READER, new Principal("ws_1", "tok_reader", Set.of(Scope.of("pipes:read"))),
            ADMIN, new Principal("ws_1", "tok_admin", Set.of(Scope.ADMIN)));

    private EmbeddedSchemaRegistry registry;
    private HttpServer server;

    @Override
    protected void startRegistry(EmbeddedKafkaBroker broker) {
        registry = EmbeddedSchemaRegistry.start(clients(), newTopic(), (short) 1, TIMEOUT);
        server = HttpServer.start("127.0.0.1", 0, 1 << 20, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of(),
                List.of(new SchemaRegistryRoutes(PREFIX, registry, new RequestAuth(token -> Optional.ofNullable(TOKENS.get(token))))));
    }

    @Override
    protected void stopRegistry() {
        if (server != null) {
            server.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Override
    protected HttpSchemaRegistryClient.Builder clientBuilder() {
        return HttpSchemaRegistryClient.builder(baseUrl()).bearerToken(WRITER);
    }

    @Override
    protected Optional<String> authorization() {
        return Optional.of("Bearer " + WRITER);
    }

    @Test
    void aRestartedRegistryAnswersTheSameIdsVersionsAndLevels() {
        String topic = newTopic();
        Schema v1 = ContractRecords.v1("Restarted");
        Schema v2 = ContractRecords.v2WithOptionalField("Restarted");
        Schema other = ContractRecords.v1("Other");
        int id1;
        int id2;
        int idOther;
        try (EmbeddedSchemaRegistry before = EmbeddedSchemaRegistry.start(clients(), topic, (short) 1, TIMEOUT)) {
            id1 = before.register("orders-value", v1);
            id2 = before.register("orders-value", v2);
            idOther = before.register("other-value", other);
            before.register("copy-value", v1);
            before.setGlobalCompatibility(CompatibilityLevel.FULL);
            before.setSubjectCompatibility("orders-value", CompatibilityLevel.NONE);
        }

        try (EmbeddedSchemaRegistry after = EmbeddedSchemaRegistry.start(clients(), topic, (short) 1, TIMEOUT)) {
            assertThat(after.subjects()).containsExactly("copy-value", "orders-value", "other-value");
            assertThat(after.versions("orders-value")).containsExactly(1, 2);
            assertThat(after.version("orders-value", 1)).isEqualTo(new RegisteredSchema("orders-value", 1, id1, v1));
            assertThat(after.version("orders-value", -1)).isEqualTo(new RegisteredSchema("orders-value", 2, id2, v2));
            assertThat(after.version("copy-value", 1).id()).isEqualTo(id1);
            assertThat(after.schemaById(idOther)).isEqualTo(other);
            assertThat(after.register("orders-value", v2)).isEqualTo(id2);
            assertThat(after.globalCompatibility()).isEqualTo(CompatibilityLevel.FULL);
            assertThat(after.subjectCompatibility("orders-value")).contains(CompatibilityLevel.NONE);
            assertThat(after.subjectCompatibility("other-value")).isEmpty();

            int next = after.register("next-value", ContractRecords.v1("Next"));
            assertThat(next).isGreaterThan(Math.max(id2, idOther));
        }
    }

    @Test
    void idsAreGlobalAndIncreasingFromOne() {
        try (EmbeddedSchemaRegistry fresh = EmbeddedSchemaRegistry.start(clients(), newTopic(), (short) 1, TIMEOUT)) {
            assertThat(fresh.globalCompatibility()).isEqualTo(CompatibilityLevel.BACKWARD);
            assertThat(fresh.register("a-value", ContractRecords.v1("A"))).isEqualTo(1);
            assertThat(fresh.register("b-value", ContractRecords.v1("B"))).isEqualTo(2);
            assertThat(fresh.register("b-value", ContractRecords.v2WithOptionalField("B"))).isEqualTo(3);
            assertThat(fresh.register("c-value", ContractRecords.v1("A"))).isEqualTo(1);
            assertThat(fresh.version("b-value", -1).version()).isEqualTo(2);
        }
    }

    @Test
    void transitiveLevelsCheckEveryVersion(TestInfo test) {
        // v3 makes v2's optional field required: it reads v2 data, but not v1 data (no default).
        Schema v1 = ContractRecords.v1("Transitive");
        Schema v2 = ContractRecords.v2WithOptionalField("Transitive");
        Schema v3 = Schema.createRecord("Transitive", null, "io.tributary.contract", false, List.of(
                new Schema.Field("id", Schema.create(Schema.Type.STRING)),
                new Schema.Field("email", v2.getField("email").schema())));
        String transitive = subject(test, "transitive");
        String latestOnly = subject(test, "latest-only");
        client().setSubjectCompatibility(transitive, CompatibilityLevel.BACKWARD_TRANSITIVE);
        for (String subject : List.of(transitive, latestOnly)) {
            client().register(subject, v1);
            client().register(subject, v2);
        }

        assertThat(client().isCompatible(transitive, v3)).isFalse();
        assertRegistryError(() -> client().register(transitive, v3), 409, SchemaRegistryException.INCOMPATIBLE);
        assertThat(client().isCompatible(latestOnly, v3)).isTrue();
        assertThat(client().register(latestOnly, v3)).isPositive();
    }

    @Test
    void readsNeedAValidTokenAndWritesTheWriteScope(TestInfo test) throws Exception {
        String subject = subject(test, "value");
        HttpSchemaRegistryClient anonymous = HttpSchemaRegistryClient.builder(baseUrl()).build();
        HttpSchemaRegistryClient unknown = HttpSchemaRegistryClient.builder(baseUrl()).bearerToken("no-such-token").build();
        HttpSchemaRegistryClient reader = HttpSchemaRegistryClient.builder(baseUrl()).bearerToken(READER).build();
        HttpSchemaRegistryClient admin = HttpSchemaRegistryClient.builder(baseUrl()).bearerToken(ADMIN).build();

        assertRegistryError(anonymous::subjects, 401, 40101);
        assertRegistryError(unknown::subjects, 401, 40101);
        assertRegistryError(() -> anonymous.register(subject, ContractRecords.v1("Guarded")), 401, 40101);
        assertRegistryError(() -> reader.register(subject, ContractRecords.v1("Guarded")), 403, 40301);
        assertRegistryError(() -> reader.setGlobalCompatibility(CompatibilityLevel.NONE), 403, 40301);
        assertRegistryError(() -> reader.setSubjectCompatibility(subject, CompatibilityLevel.NONE), 403, 40301);

        int id = admin.register(subject, ContractRecords.v1("Guarded"));
        assertThat(reader.subjects()).contains(subject);
        assertThat(reader.schemaById(id)).isEqualTo(ContractRecords.v1("Guarded"));
        assertThat(reader.lookup(subject, ContractRecords.v1("Guarded"))).isPresent();
        assertThat(reader.isCompatible(subject, ContractRecords.v2WithOptionalField("Guarded"))).isTrue();
        assertThat(registry.globalCompatibility()).isEqualTo(CompatibilityLevel.BACKWARD);
    }

    @Test
    void httpBasicAuthTakesTheTokenAsPassword(TestInfo test) {
        String subject = subject(test, "value");
        HttpSchemaRegistryClient basic = HttpSchemaRegistryClient.builder(baseUrl()).basicAuth("any-user", WRITER).build();
        HttpSchemaRegistryClient wrongPassword = HttpSchemaRegistryClient.builder(baseUrl()).basicAuth(WRITER, "nope").build();

        int id = basic.register(subject, ContractRecords.v1("Basic"));

        assertThat(basic.version(subject, 1).id()).isEqualTo(id);
        assertRegistryError(wrongPassword::subjects, 401, 40101);
    }

    @Test
    void errorsUseConfluentsShapeAndContentType(TestInfo test) throws Exception {
        HttpResponse<String> response = send("GET", "/subjects/" + subject(test, "unknown") + "/versions", null);

        assertError(response, 404, SchemaRegistryException.SUBJECT_NOT_FOUND);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith(HttpSchemaRegistryClient.CONTENT_TYPE));
        assertThat(response.body()).doesNotContain("\"error\":");
        assertError(send("GET", "/subjects/" + subject(test, "unknown") + "/versions/first", null), 422, SchemaRegistryException.INVALID_VERSION);
        assertError(send("PUT", "/config", "{\"compatibility\": \"SIDEWAYS\"}"), 422, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL);
        assertError(post("/subjects/" + subject(test, "value") + "/versions", "{\"schema\": \"{}\", \"schemaType\": \"PROTOBUF\"}"),
                422, SchemaRegistryException.INVALID_SCHEMA);
        assertError(post("/subjects/" + subject(test, "value") + "/versions", "not json"), 400, 400);
    }

    @Test
    void aSubjectWithoutItsOwnLevelHasNone(TestInfo test) throws Exception {
        String subject = subject(test, "value");
        client().register(subject, ContractRecords.v1("Unconfigured"));

        assertThat(client().subjectCompatibility(subject)).isEmpty();
        assertError(send("GET", "/config/" + subject, null), 404, 40408);
        assertThat(send("GET", "/config/" + subject + "?defaultToGlobal=true", null).body()).contains("\"compatibilityLevel\":\"BACKWARD\"");
    }

    @Test
    void subjectsWithSpacesAndNonAsciiCharactersAreEncoded() {
        String subject = "events of café " + UUID.randomUUID();
        Schema schema = ContractRecords.v1("Encoded");

        int id = client().register(subject, schema);
        client().setSubjectCompatibility(subject, CompatibilityLevel.FULL);

        assertThat(client().subjects()).contains(subject);
        assertThat(client().version(subject, -1)).isEqualTo(new RegisteredSchema(subject, 1, id, schema));
        assertThat(client().lookup(subject, schema)).isPresent();
        assertThat(client().subjectCompatibility(subject)).contains(CompatibilityLevel.FULL);
        assertThat(registry.versions(subject)).containsExactly(1);
    }

    @Test
    void anUnreachableRegistryIsUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        HttpSchemaRegistryClient nowhere = HttpSchemaRegistryClient.builder("http://127.0.0.1:" + closedPort + PREFIX).build();

        assertRegistryError(nowhere::subjects, 503, SchemaRegistryException.UNAVAILABLE);
    }

    @Test
    void theRoutesLiveUnderTheirPrefixOnly() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest withoutPrefix = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + server.port() + "/subjects"))
                .header("Authorization", "Bearer " + WRITER).GET().build();

        assertThat(http.send(withoutPrefix, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/subjects", null).statusCode()).isEqualTo(200);
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + server.port() + PREFIX;
    }

    private KafkaClients clients() {
        return new KafkaClients(broker().bootstrapServers());
    }

    private static String newTopic() {
        return "_schemas-it-" + UUID.randomUUID();
    }
}
