package io.tributary.schemas.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * {@link SchemaRegistry} over the Confluent Schema Registry REST API, so it talks to Confluent,
 * Karapace, Redpanda, Apicurio's {@code /apis/ccompat/v7} and Tributary's embedded registry alike.
 *
 * <p>Schemas are always sent as {@link Schema#toString()}, so one parsed schema always has one
 * text: registries that compare schema text byte for byte (Apicurio) then agree with those that
 * parse first (Confluent). Schemas by id are cached, because ids are immutable.
 *
 * <p>Failures are {@link SchemaRegistryException}s: the registry's own {@code error_code} and HTTP
 * status where it answered in Confluent's error shape, {@link SchemaRegistryException#UNAVAILABLE}
 * where it could not be reached (HTTP status 503 then) or answered something else.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistry {
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT = CONTENT_TYPE + ", application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    /** Confluent 7: the subject has no level of its own. */
    private static final int SUBJECT_LEVEL_NOT_CONFIGURED = 40408;

    private final String baseUrl;
    private final Optional<String> authorization;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final ObjectMapper json;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    private HttpSchemaRegistryClient(Builder builder) {
        this.baseUrl = builder.baseUrl;
        this.authorization = builder.authorization;
        this.requestTimeout = builder.requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(builder.connectTimeout).build();
        this.json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /**
     * {@code baseUrl} is the registry root, path prefix included, e.g. {@code http://host:8081},
     * {@code http://host:8080/schema-registry} or {@code http://host:8080/apis/ccompat/v7}.
     */
    public static Builder builder(String baseUrl) {
        return new Builder(baseUrl);
    }

    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public int register(String subject, Schema schema) {
        JsonNode response = send("POST", "/subjects/" + encode(subject) + "/versions", Map.of("schema", schema.toString()));
        int id = intField(response, "id");
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        Schema schema = parse(textField(send("GET", "/schemas/ids/" + id, null), "schema"));
        Schema previous = schemasById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    @Override
    public Optional<RegisteredSchema> lookup(String subject, Schema schema) {
        try {
            return Optional.of(registeredSchema(subject,
                    send("POST", "/subjects/" + encode(subject), Map.of("schema", schema.toString()))));
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND || e.errorCode() == SchemaRegistryException.SCHEMA_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<String> subjects() {
        List<String> subjects = new ArrayList<>();
        for (JsonNode node : array(send("GET", "/subjects", null))) {
            subjects.add(node.asText());
        }
        return List.copyOf(subjects);
    }

    @Override
    public List<Integer> versions(String subject) {
        List<Integer> versions = new ArrayList<>();
        for (JsonNode node : array(send("GET", "/subjects/" + encode(subject) + "/versions", null))) {
            versions.add(node.asInt());
        }
        versions.sort(null);
        return List.copyOf(versions);
    }

    @Override
    public RegisteredSchema version(String subject, int version) {
        if (version != -1 && version < 1) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_VERSION,
                    "Invalid version " + version + ": versions start at 1, -1 means latest");
        }
        String v = version == -1 ? "latest" : Integer.toString(version);
        return registeredSchema(subject, send("GET", "/subjects/" + encode(subject) + "/versions/" + v, null));
    }

    /**
     * A subject without versions accepts any schema. Registries say so differently: Confluent
     * answers {@code is_compatible: true} or 40401, Apicurio 40402 (no version 'latest').
     */
    @Override
    public boolean isCompatible(String subject, Schema schema) {
        try {
            JsonNode response = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest",
                    Map.of("schema", schema.toString()));
            JsonNode value = response.get("is_compatible");
            if (value == null || !value.isBoolean()) {
                throw unexpected("POST /compatibility/subjects/" + subject + "/versions/latest", response);
            }
            return value.booleanValue();
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND || e.errorCode() == SchemaRegistryException.VERSION_NOT_FOUND) {
                return true;
            }
            throw e;
        }
    }

    @Override
    public CompatibilityLevel globalCompatibility() {
        return level(send("GET", "/config", null));
    }

    @Override
    public void setGlobalCompatibility(CompatibilityLevel level) {
        send("PUT", "/config", Map.of("compatibility", level.name()));
    }

    @Override
    public Optional<CompatibilityLevel> subjectCompatibility(String subject) {
        try {
            return Optional.of(level(send("GET", "/config/" + encode(subject), null)));
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND || e.errorCode() == SUBJECT_LEVEL_NOT_CONFIGURED) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public void setSubjectCompatibility(String subject, CompatibilityLevel level) {
        send("PUT", "/config/" + encode(subject), Map.of("compatibility", level.name()));
    }

    @Override
    public String toString() {
        return "HttpSchemaRegistryClient[" + baseUrl + "]";
    }

    private JsonNode send(String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(requestTimeout)
                .header("Accept", ACCEPT);
        authorization.ifPresent(value -> request.header("Authorization", value));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(write(body)));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SchemaRegistryException(503, SchemaRegistryException.UNAVAILABLE,
                    "schema registry " + baseUrl + " unreachable (" + method + " " + path + "): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(503, SchemaRegistryException.UNAVAILABLE,
                    "interrupted while calling schema registry " + baseUrl, e);
        }
        JsonNode parsed = tryParse(response.body());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            if (parsed == null) {
                throw new SchemaRegistryException(502, SchemaRegistryException.UNAVAILABLE, method + " " + baseUrl + path
                        + " answered " + status + " with a body that is not JSON: " + abbreviate(response.body()));
            }
            return parsed;
        }
        if (parsed != null && parsed.path("error_code").isInt()) {
            throw new SchemaRegistryException(status, parsed.get("error_code").intValue(),
                    parsed.path("message").asText("error " + parsed.get("error_code").intValue()));
        }
        throw new SchemaRegistryException(status, SchemaRegistryException.UNAVAILABLE, method + " " + baseUrl + path
                + " answered " + status + " without a Confluent error body: " + abbreviate(response.body()));
    }

    private RegisteredSchema registeredSchema(String subject, JsonNode response) {
        String answeredSubject = response.path("subject").asText(subject);
        return new RegisteredSchema(answeredSubject, intField(response, "version"), intField(response, "id"),
                parse(textField(response, "schema")));
    }

    private static CompatibilityLevel level(JsonNode response) {
        // GET answers compatibilityLevel; some registries answer compatibility, as PUT does.
        JsonNode value = response.has("compatibilityLevel") ? response.get("compatibilityLevel") : response.get("compatibility");
        if (value == null || !value.isTextual()) {
            throw unexpected("config", response);
        }
        return CompatibilityLevel.parse(value.asText());
    }

    private static Schema parse(String text) {
        try {
            return new Schema.Parser().parse(text);
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(502, SchemaRegistryException.UNAVAILABLE,
                    "schema registry returned a schema that is not valid Avro: " + e.getMessage(), e);
        }
    }

    private static int intField(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw unexpected("field " + field, node);
        }
        return value.intValue();
    }

    private static String textField(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw unexpected("field " + field, node);
        }
        return value.asText();
    }

    private static Iterable<JsonNode> array(JsonNode node) {
        if (!node.isArray()) {
            throw unexpected("array", node);
        }
        return node;
    }

    private static SchemaRegistryException unexpected(String what, JsonNode response) {
        return new SchemaRegistryException(502, SchemaRegistryException.UNAVAILABLE,
                "unexpected schema registry response (" + what + "): " + abbreviate(String.valueOf(response)));
    }

    private JsonNode tryParse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write request body", e);
        }
    }

    /** A subject as one path segment: spaces as %20 (not +), slashes encoded. */
    static String encode(String subject) {
        return URLEncoder.encode(Objects.requireNonNull(subject, "subject"), StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    /** Options of the client: base URL, credentials and timeouts. */
    public static final class Builder {
        private final String baseUrl;
        private Optional<String> authorization = Optional.empty();
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(15);

        private Builder(String baseUrl) {
            String url = Objects.requireNonNull(baseUrl, "baseUrl").trim();
            while (url.endsWith("/")) {
                url = url.substring(0, url.length() - 1);
            }
            URI uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("schema registry URL must be http(s): " + baseUrl);
            }
            this.baseUrl = url;
        }

        /** Sends {@code Authorization: Bearer <token>}. */
        public Builder bearerToken(String token) {
            this.authorization = Optional.of("Bearer " + requireText(token, "token"));
            return this;
        }

        /** HTTP basic auth, as Confluent's {@code basic.auth.user.info=user:password}. */
        public Builder basicAuth(String user, String password) {
            String pair = Objects.requireNonNull(user, "user") + ":" + Objects.requireNonNull(password, "password");
            this.authorization = Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        public HttpSchemaRegistryClient build() {
            return new HttpSchemaRegistryClient(this);
        }

        private static String requireText(String s, String what) {
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return s;
        }
    }
}
