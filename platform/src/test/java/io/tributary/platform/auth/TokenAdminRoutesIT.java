package io.tributary.platform.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.platform.http.HttpRoutes;
import io.tributary.platform.http.HttpServer;
import io.tributary.platform.kafka.EmbeddedKafkaBroker;
import io.tributary.platform.kafka.KafkaClients;
import io.tributary.platform.metrics.Metrics;
import io.tributary.platform.testing.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The token admin routes on the real HTTP server, against a TokenStore on the embedded broker. A
 * probe route guarded by RequestAuth shows what an issued token may do. Each test works in
 * workspaces of its own, made by the operator token, because the broker and its token topic are
 * shared by every test of the JVM.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TokenAdminRoutesIT {
    private static final String OPERATOR = "trb_operator_token_for_TokenAdminRoutesIT";
    private static final String JSON_TYPE = "application/json";
    private static final String FORM_TYPE = "application/x-www-form-urlencoded";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private static TokenStore tokens;
    private static HttpServer server;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker) {
        tokens = TokenStore.start(new KafkaClients(broker.bootstrapServers()), (short) 1, Duration.ofSeconds(30), Clock.systemUTC());
        tokens.ensureAdminToken(Optional.of(OPERATOR));
        RequestAuth auth = new RequestAuth(tokens);
        HttpRoutes probe = app -> app.get("/probe/{scope}", ctx -> {
            auth.require(ctx, Scope.parse(ctx.pathParam("scope")));
            ctx.result("allowed");
        });
        server = HttpServer.start("127.0.0.1", 0, 64 * 1024, Metrics.prometheusRegistry(), List.of(),
                List.of(TokenAdminRoutes.writes(tokens, auth), TokenAdminRoutes.reads(tokens, auth), probe));
    }

    @AfterAll
    static void stop() {
        server.close();
        // The token topic outlives this class (one broker per JVM): leave no active operator token,
        // which TokenStoreIT expects to generate itself whichever class runs first.
        tokens.revoke(TokenStore.DEFAULT_WORKSPACE, TokenStore.ADMIN_TOKEN_ID);
        tokens.close();
    }

    @Test
    void everyRouteNeedsAnAdminToken() throws Exception {
        String workspace = newWorkspace();
        String reader = create(OPERATOR, "{\"name\":\"reader\",\"scopes\":[\"pipes:read\"],\"workspace_id\":\"" + workspace + "\"}")
                .path("token").asText();
        for (String[] route : new String[][] {{"POST", "/v0/tokens"}, {"GET", "/v0/tokens"}, {"DELETE", "/v0/tokens/abc"}}) {
            String body = route[0].equals("POST") ? "{\"name\":\"x\",\"scopes\":\"admin\"}" : null;
            HttpResponse<String> none = send(route[0], route[1], null, JSON_TYPE, body);
            assertThat(none.statusCode()).as("%s without a token", route[1]).isEqualTo(401);
            assertThat(none.body()).contains("\"code\":\"UNAUTHORIZED\"").contains("missing token");

            HttpResponse<String> wrong = send(route[0], route[1], "trb_not_a_token", JSON_TYPE, body);
            assertThat(wrong.statusCode()).as("%s with an unknown token", route[1]).isEqualTo(401);
            assertThat(wrong.body()).contains("invalid token");

            HttpResponse<String> notAdmin = send(route[0], route[1], reader, JSON_TYPE, body);
            assertThat(notAdmin.statusCode()).as("%s with a pipes:read token", route[1]).isEqualTo(403);
            assertThat(notAdmin.body()).contains("\"code\":\"FORBIDDEN\"").contains("admin");
        }
    }

    @Test
    void aTokenCreatedFromJsonWorksForItsScopesOnly() throws Exception {
        String workspace = newWorkspace();
        HttpResponse<String> response = send("POST", "/v0/tokens", OPERATOR, JSON_TYPE,
                "{\"name\":\" pipe reader \",\"scopes\":[\"pipes:read:customer_activity\",\"events:append\"],\"workspace_id\":\"" + workspace + "\"}");
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode created = json(response.body());
        assertThat(fieldNames(created)).containsExactly("id", "name", "workspace_id", "scopes", "created_at", "token");
        assertThat(created.path("name").asText()).isEqualTo("pipe reader");
        assertThat(created.path("workspace_id").asText()).isEqualTo(workspace);
        assertThat(created.path("scopes").toString()).isEqualTo("[\"pipes:read:customer_activity\",\"events:append\"]");
        assertThat(created.path("created_at").asLong()).isBetween(System.currentTimeMillis() / 1000 - 60, System.currentTimeMillis() / 1000 + 1);
        String token = created.path("token").asText();
        assertThat(token).startsWith("trb_").hasSize(44);

        Principal principal = tokens.authenticate(token).orElseThrow();
        assertThat(principal.workspaceId()).isEqualTo(workspace);
        assertThat(principal.tokenId()).isEqualTo(created.path("id").asText());
        assertThat(probe(token, "pipes:read:customer_activity")).isEqualTo(200);
        assertThat(probe(token, "events:append:customer_events")).isEqualTo(200);
        assertThat(probe(token, "pipes:read:segment_metrics")).isEqualTo(403);
        assertThat(probe(token, "analytics:read")).isEqualTo(403);
        assertThat(probe(token, "admin")).isEqualTo(403);
    }

    @Test
    void aTokenCreatedFromFormFieldsTakesScopesAsOneStringOrRepeated() throws Exception {
        String workspace = newWorkspace();
        // curl -d name=... -d scopes='insights:read, segments:read links:read' -d workspace_id=...
        JsonNode oneString = create(OPERATOR, FORM_TYPE, "name=form+token&scopes=insights%3Aread%2C+segments%3Aread+links%3Aread&workspace_id=" + workspace);
        assertThat(oneString.path("scopes").toString()).isEqualTo("[\"insights:read\",\"segments:read\",\"links:read\"]");
        String token = oneString.path("token").asText();
        assertThat(probe(token, "insights:read")).isEqualTo(200);
        assertThat(probe(token, "segments:read")).isEqualTo(200);
        assertThat(probe(token, "segments:delete")).isEqualTo(403);

        JsonNode repeated = create(OPERATOR, FORM_TYPE, "name=repeated&scopes=customers%3Aupload&scopes=ops%3Aread&scopes=ops%3Aread&workspace_id=" + workspace);
        assertThat(repeated.path("scopes").toString()).as("duplicates dropped").isEqualTo("[\"customers:upload\",\"ops:read\"]");
    }

    @Test
    void badBodiesAre400sNamingTheField() throws Exception {
        HttpResponse<String> unknownScope = send("POST", "/v0/tokens", OPERATOR, JSON_TYPE,
                "{\"name\":\"typo\",\"scopes\":[\"pipes:read\",\"pipes:raed\",\"insights\"]}");
        assertThat(unknownScope.statusCode()).isEqualTo(400);
        JsonNode error = json(unknownScope.body()).path("error");
        assertThat(error.path("message").asText()).isEqualTo("invalid field: scopes");
        assertThat(error.path("details").findValuesAsText("field")).containsExactly("scopes", "scopes");
        assertThat(error.path("details").get(0).path("message").asText())
                .startsWith("unknown scope 'pipes:raed': expected one of admin, events:append, pipes:read,")
                .contains("insights:create").contains("segments:delete");
        assertThat(error.path("details").get(1).path("message").asText()).startsWith("unknown scope 'insights':");

        HttpResponse<String> missing = send("POST", "/v0/tokens", OPERATOR, JSON_TYPE, "{\"scopes\":[]}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(json(missing.body()).path("error").path("message").asText()).isEqualTo("missing required fields: name, scopes");

        HttpResponse<String> empty = send("POST", "/v0/tokens", OPERATOR, FORM_TYPE, "");
        assertThat(json(empty.body()).path("error").path("details").findValuesAsText("field")).containsExactly("name", "scopes");

        HttpResponse<String> onlySeparators = send("POST", "/v0/tokens", OPERATOR, JSON_TYPE, "{\"name\":\"n\",\"scopes\":\" , \"}");
        assertThat(onlySeparators.statusCode()).isEqualTo(400);
        assertThat(onlySeparators.body()).contains("must name at least one scope");

        HttpResponse<String> unknownField = send("POST", "/v0/tokens", OPERATOR, JSON_TYPE,
                "{\"name\":\"n\",\"scopes\":\"admin\",\"expires\":\"never\"}");
        assertThat(unknownField.statusCode()).isEqualTo(400);
        assertThat(json(unknownField.body()).path("error").path("message").asText()).isEqualTo("unknown field: expires");

        HttpResponse<String> malformed = send("POST", "/v0/tokens", OPERATOR, JSON_TYPE, "{\"name\":\"n\",\"scopes\":");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("the body is not valid JSON");

        HttpResponse<String> notStrings = send("POST", "/v0/tokens", OPERATOR, JSON_TYPE, "{\"name\":\"n\",\"scopes\":[\"admin\",7]}");
        assertThat(notStrings.statusCode()).isEqualTo(400);
        assertThat(notStrings.body()).contains("\"field\":\"scopes\"").contains("array of strings");

        HttpResponse<String> tooLong = send("POST", "/v0/tokens", OPERATOR, JSON_TYPE,
                "{\"name\":\"" + "n".repeat(201) + "\",\"scopes\":\"admin\",\"workspace_id\":\"no spaces allowed\"}");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(json(tooLong.body()).path("error").path("message").asText()).isEqualTo("invalid fields: name, workspace_id");
        assertThat(tooLong.body()).contains("at most 200 characters, got 201").contains("1 to 64 characters");
    }

    @Test
    void listsShowEveryTokenOfTheWorkspaceOldestFirstWithoutSecrets() throws Exception {
        String workspace = newWorkspace();
        JsonNode admin = create(OPERATOR, "{\"name\":\"ws admin\",\"scopes\":\"admin\",\"workspace_id\":\"" + workspace + "\"}");
        String adminToken = admin.path("token").asText();
        JsonNode reader = create(adminToken, "{\"name\":\"reader\",\"scopes\":\"pipes:read\"}");
        assertThat(reader.path("workspace_id").asText()).as("defaults to the caller's workspace").isEqualTo(workspace);

        HttpResponse<String> listed = send("GET", "/v0/tokens", adminToken, null, null);
        assertThat(listed.statusCode()).isEqualTo(200);
        JsonNode data = json(listed.body()).path("data");
        assertThat(data.findValuesAsText("id")).containsExactly(admin.path("id").asText(), reader.path("id").asText());
        assertThat(fieldNames(data.get(1))).containsExactly("id", "name", "workspace_id", "scopes", "created_at", "revoked_at");
        assertThat(data.get(1).path("revoked_at").isNull()).isTrue();
        assertThat(data.get(1).path("scopes").toString()).isEqualTo("[\"pipes:read\"]");
        assertThat(listed.body())
                .doesNotContain(adminToken).doesNotContain(reader.path("token").asText())
                .doesNotContain(Tokens.sha256Hex(adminToken)).doesNotContain(Tokens.sha256Hex(reader.path("token").asText()))
                .doesNotContain("sha256").doesNotContain("trb_");

        HttpResponse<String> byOperator = send("GET", "/v0/tokens?workspace_id=" + workspace, OPERATOR, null, null);
        assertThat(json(byOperator.body()).path("data").findValuesAsText("id")).hasSize(2);
        assertThat(json(send("GET", "/v0/tokens?workspace_id=" + newWorkspace(), OPERATOR, null, null).body()).path("data")).isEmpty();
        assertThat(send("GET", "/v0/tokens?workspace_id=a%20b", OPERATOR, null, null).statusCode()).isEqualTo(400);
    }

    @Test
    void aRevokedTokenIsRefusedAndListedWithItsRevocationTime() throws Exception {
        String workspace = newWorkspace();
        String adminToken = create(OPERATOR, "{\"name\":\"ws admin\",\"scopes\":\"admin\",\"workspace_id\":\"" + workspace + "\"}").path("token").asText();
        JsonNode reader = create(adminToken, "{\"name\":\"reader\",\"scopes\":\"pipes:read\"}");
        String readerToken = reader.path("token").asText();
        assertThat(probe(readerToken, "pipes:read")).isEqualTo(200);

        HttpResponse<String> revoked = send("DELETE", "/v0/tokens/" + reader.path("id").asText(), adminToken, null, null);
        assertThat(revoked.statusCode()).isEqualTo(204);
        assertThat(revoked.body()).isEmpty();
        assertThat(probe(readerToken, "pipes:read")).isEqualTo(401);
        assertThat(send("DELETE", "/v0/tokens/" + reader.path("id").asText(), adminToken, null, null).statusCode())
                .as("revoking again changes nothing").isEqualTo(204);

        JsonNode listed = json(send("GET", "/v0/tokens", adminToken, null, null).body()).path("data").get(1);
        assertThat(listed.path("id").asText()).isEqualTo(reader.path("id").asText());
        assertThat(listed.path("revoked_at").asLong()).isGreaterThanOrEqualTo(reader.path("created_at").asLong());

        HttpResponse<String> unknown = send("DELETE", "/v0/tokens/noSuchTokenId", adminToken, null, null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"code\":\"NOT_FOUND\"");
    }

    @Test
    void theOperatorRevokesInAnyWorkspaceButNotItsOwnToken() throws Exception {
        String workspace = newWorkspace();
        JsonNode reader = create(OPERATOR, "{\"name\":\"reader\",\"scopes\":\"pipes:read\",\"workspace_id\":\"" + workspace + "\"}");
        assertThat(send("DELETE", "/v0/tokens/" + reader.path("id").asText() + "?workspace_id=" + newWorkspace(), OPERATOR, null, null)
                .statusCode()).as("named the wrong workspace").isEqualTo(404);
        assertThat(send("DELETE", "/v0/tokens/" + reader.path("id").asText(), OPERATOR, null, null).statusCode())
                .as("found by its id").isEqualTo(204);
        assertThat(probe(reader.path("token").asText(), "pipes:read")).isEqualTo(401);

        HttpResponse<String> self = send("DELETE", "/v0/tokens/" + TokenStore.ADMIN_TOKEN_ID, OPERATOR, null, null);
        assertThat(self.statusCode()).isEqualTo(400);
        assertThat(self.body()).contains("operator admin token cannot be revoked");
        assertThat(probe(OPERATOR, "admin")).isEqualTo(200);
    }

    @Test
    void aWorkspaceAdminCannotReachAnotherWorkspace() throws Exception {
        String mine = newWorkspace();
        String theirs = newWorkspace();
        String myAdmin = create(OPERATOR, "{\"name\":\"mine\",\"scopes\":\"admin\",\"workspace_id\":\"" + mine + "\"}").path("token").asText();
        JsonNode theirReader = create(OPERATOR, "{\"name\":\"theirs\",\"scopes\":\"pipes:read\",\"workspace_id\":\"" + theirs + "\"}");

        HttpResponse<String> createThere = send("POST", "/v0/tokens", myAdmin, JSON_TYPE,
                "{\"name\":\"x\",\"scopes\":\"admin\",\"workspace_id\":\"" + theirs + "\"}");
        assertThat(createThere.statusCode()).isEqualTo(403);
        assertThat(createThere.body()).contains("only the operator admin token");
        assertThat(send("GET", "/v0/tokens?workspace_id=" + theirs, myAdmin, null, null).statusCode()).isEqualTo(403);
        assertThat(send("DELETE", "/v0/tokens/" + theirReader.path("id").asText() + "?workspace_id=" + theirs, myAdmin, null, null)
                .statusCode()).isEqualTo(403);

        HttpResponse<String> revokeTheirs = send("DELETE", "/v0/tokens/" + theirReader.path("id").asText(), myAdmin, null, null);
        assertThat(revokeTheirs.statusCode()).as("another workspace's id is not found").isEqualTo(404);
        assertThat(probe(theirReader.path("token").asText(), "pipes:read")).isEqualTo(200);
        assertThat(send("DELETE", "/v0/tokens/" + TokenStore.ADMIN_TOKEN_ID, myAdmin, null, null).statusCode()).isEqualTo(400);

        HttpResponse<String> ownByName = send("POST", "/v0/tokens", myAdmin, JSON_TYPE,
                "{\"name\":\"x\",\"scopes\":\"ops:read\",\"workspace_id\":\"" + mine + "\"}");
        assertThat(ownByName.statusCode()).as("naming its own workspace is fine").isEqualTo(201);
        assertThat(json(send("GET", "/v0/tokens", myAdmin, null, null).body()).path("data").findValuesAsText("workspace_id"))
                .containsOnly(mine);
    }

    private static String newWorkspace() {
        return "ws-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static JsonNode create(String token, String jsonBody) throws Exception {
        return create(token, JSON_TYPE, jsonBody);
    }

    private static JsonNode create(String token, String contentType, String body) throws Exception {
        HttpResponse<String> response = send("POST", "/v0/tokens", token, contentType, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json(response.body());
    }

    private static int probe(String token, String scope) throws Exception {
        return send("GET", "/probe/" + scope, token, null, null).statusCode();
    }

    private static HttpResponse<String> send(String method, String path, String token, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String body) throws Exception {
        return JSON.readTree(body);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
