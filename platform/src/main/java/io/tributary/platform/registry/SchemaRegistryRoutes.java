package io.tributary.platform.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.tributary.platform.auth.RequestAuth;
import io.tributary.platform.auth.Scope;
import io.tributary.platform.http.ApiException;
import io.tributary.platform.http.HttpRoutes;
import io.tributary.platform.http.HttpServer;
import io.tributary.schemas.registry.CompatibilityLevel;
import io.tributary.schemas.registry.HttpSchemaRegistryClient;
import io.tributary.schemas.registry.RegisteredSchema;
import io.tributary.schemas.registry.SchemaRegistry;
import io.tributary.schemas.registry.SchemaRegistryException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Confluent Schema Registry REST subset Tributary's client and Confluent's own serializers use,
 * served under a prefix (the launcher uses {@code /schema-registry}) for any {@link SchemaRegistry}.
 *
 * <p>Bodies and errors are Confluent's ({@code {"error_code": 40401, "message": ...}}), not
 * Tributary's {@code {"error": ...}} envelope, because Confluent clients parse them. Auth: every
 * route needs a valid token (Bearer, or HTTP basic with the token as password); registering and
 * changing compatibility levels need {@code schemas:write}. Lookup and the compatibility test are
 * POSTs but change nothing, so they only need a valid token, as a GET does.
 */
public final class SchemaRegistryRoutes implements HttpRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryRoutes.class);
    public static final Scope WRITE_SCOPE = Scope.SCHEMAS_WRITE;
    private static final int UNAUTHORIZED = 40101;
    private static final int FORBIDDEN = 40301;
    private static final int SUBJECT_LEVEL_NOT_CONFIGURED = 40408;
    private static final int BAD_REQUEST = 400;
    private static final int INTERNAL = 50001;

    private final String prefix;
    private final SchemaRegistry registry;
    private final RequestAuth auth;
    private final ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @FunctionalInterface
    private interface Endpoint {
        Object handle(Context ctx);
    }

    private enum Access { READ, WRITE }

    /** {@code prefix} is empty or starts with a slash, e.g. {@code /schema-registry}. */
    public SchemaRegistryRoutes(String prefix, SchemaRegistry registry, RequestAuth auth) {
        String p = Objects.requireNonNull(prefix).trim();
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (!p.isEmpty() && !p.startsWith("/")) {
            throw new IllegalArgumentException("prefix must start with /: " + prefix);
        }
        this.prefix = p;
        this.registry = Objects.requireNonNull(registry);
        this.auth = Objects.requireNonNull(auth);
    }

    @Override
    public void mount(Javalin app) {
        app.post(prefix + "/subjects/{subject}/versions", handler(Access.WRITE, this::register));
        app.post(prefix + "/subjects/{subject}", handler(Access.READ, this::lookup));
        app.get(prefix + "/schemas/ids/{id}", handler(Access.READ, this::schemaById));
        app.get(prefix + "/subjects", handler(Access.READ, ctx -> registry.subjects()));
        app.get(prefix + "/subjects/{subject}/versions", handler(Access.READ, ctx -> registry.versions(subject(ctx))));
        app.get(prefix + "/subjects/{subject}/versions/{version}", handler(Access.READ, this::version));
        app.post(prefix + "/compatibility/subjects/{subject}/versions/latest", handler(Access.READ, this::compatibility));
        app.get(prefix + "/config", handler(Access.READ, ctx -> Map.of("compatibilityLevel", registry.globalCompatibility().name())));
        app.put(prefix + "/config", handler(Access.WRITE, this::setGlobalConfig));
        app.get(prefix + "/config/{subject}", handler(Access.READ, this::subjectConfig));
        app.put(prefix + "/config/{subject}", handler(Access.WRITE, this::setSubjectConfig));
    }

    private Object register(Context ctx) {
        return Map.of("id", registry.register(subject(ctx), schemaFromBody(ctx)));
    }

    private Object lookup(Context ctx) {
        String subject = subject(ctx);
        Optional<RegisteredSchema> found = registry.lookup(subject, schemaFromBody(ctx));
        if (found.isEmpty()) {
            registry.versions(subject); // answers 40401 when the subject itself is unknown
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found");
        }
        return registered(found.get());
    }

    private Object schemaById(Context ctx) {
        int id;
        try {
            id = Integer.parseInt(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + ctx.pathParam("id") + " not found");
        }
        return Map.of("schema", registry.schemaById(id).toString());
    }

    private Object version(Context ctx) {
        String v = ctx.pathParam("version");
        int version;
        try {
            version = "latest".equalsIgnoreCase(v) ? -1 : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_VERSION, "The specified version '" + v
                    + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
        }
        return registered(registry.version(subject(ctx), version));
    }

    private Object compatibility(Context ctx) {
        return Map.of("is_compatible", registry.isCompatible(subject(ctx), schemaFromBody(ctx)));
    }

    private Object setGlobalConfig(Context ctx) {
        CompatibilityLevel level = levelFromBody(ctx);
        registry.setGlobalCompatibility(level);
        return Map.of("compatibility", level.name());
    }

    private Object subjectConfig(Context ctx) {
        String subject = subject(ctx);
        Optional<CompatibilityLevel> level = registry.subjectCompatibility(subject);
        if (level.isEmpty() && "true".equalsIgnoreCase(ctx.queryParam("defaultToGlobal"))) {
            level = Optional.of(registry.globalCompatibility());
        }
        return Map.of("compatibilityLevel", level.orElseThrow(() -> new SchemaRegistryException(404, SUBJECT_LEVEL_NOT_CONFIGURED,
                "Subject '" + subject + "' does not have subject-level compatibility configured")).name());
    }

    private Object setSubjectConfig(Context ctx) {
        CompatibilityLevel level = levelFromBody(ctx);
        registry.setSubjectCompatibility(subject(ctx), level);
        return Map.of("compatibility", level.name());
    }

    private Handler handler(Access access, Endpoint endpoint) {
        return ctx -> {
            Object body;
            int status = 200;
            try {
                if (access == Access.WRITE) {
                    auth.require(ctx, WRITE_SCOPE);
                } else {
                    auth.authenticate(ctx, false);
                }
                body = endpoint.handle(ctx);
            } catch (SchemaRegistryException e) {
                status = e.httpStatus();
                body = error(e.errorCode(), e.getMessage());
            } catch (ApiException e) {
                status = e.status();
                body = error(e.status() == 401 ? UNAUTHORIZED : e.status() == 403 ? FORBIDDEN : e.status(), e.getMessage());
            } catch (HttpResponseException e) {
                status = e.getStatus(); // e.g. 413 from a body over the server's limit
                body = error(e.getStatus(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("schema registry request {} {} failed (request id {})", ctx.method(), ctx.path(), HttpServer.requestId(ctx), e);
                status = 500;
                body = error(INTERNAL, "Error in the schema registry; request id " + HttpServer.requestId(ctx));
            }
            // Bytes, not a String: JSON is UTF-8, whatever charset the container would pick for this media type.
            ctx.status(status).contentType(HttpSchemaRegistryClient.CONTENT_TYPE).result(json.writeValueAsBytes(body));
        };
    }

    private static Map<String, Object> error(int code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("error_code", code);
        error.put("message", message);
        return error;
    }

    private static Map<String, Object> registered(RegisteredSchema r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subject", r.subject());
        body.put("version", r.version());
        body.put("id", r.id());
        body.put("schema", r.schema().toString());
        return body;
    }

    private static String subject(Context ctx) {
        return ctx.pathParam("subject");
    }

    private Schema schemaFromBody(Context ctx) {
        JsonNode body = bodyJson(ctx);
        JsonNode schemaType = body.get("schemaType");
        if (schemaType != null && !schemaType.isNull() && !"AVRO".equalsIgnoreCase(schemaType.asText())) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA,
                    "Schema type " + schemaType.asText() + " is not supported; this registry holds AVRO schemas only");
        }
        JsonNode references = body.get("references");
        if (references != null && references.isArray() && !references.isEmpty()) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA, "Schema references are not supported");
        }
        JsonNode schema = body.get("schema");
        if (schema == null || !schema.isTextual() || schema.asText().isBlank()) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA, "Empty schema: send {\"schema\": \"<Avro schema JSON>\"}");
        }
        try {
            return new Schema.Parser().parse(schema.asText());
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: " + e.getMessage());
        }
    }

    private CompatibilityLevel levelFromBody(Context ctx) {
        JsonNode level = bodyJson(ctx).get("compatibility");
        if (level == null || !level.isTextual()) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL,
                    "Invalid compatibility level: send {\"compatibility\": \"BACKWARD\"} or another level");
        }
        return CompatibilityLevel.parse(level.asText());
    }

    private JsonNode bodyJson(Context ctx) {
        try {
            JsonNode body = json.readTree(ctx.body());
            if (body == null || !body.isObject()) {
                throw new SchemaRegistryException(400, BAD_REQUEST, "Request body must be a JSON object");
            }
            return body;
        } catch (JsonProcessingException e) {
            throw new SchemaRegistryException(400, BAD_REQUEST, "Request body is not JSON: " + e.getOriginalMessage());
        }
    }
}
