package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.platform.auth.TokenStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code tributary token create|list|revoke} against a real all-in-one node (the gateway role
 * serves create and revoke, the query role list), checking with real requests that an issued
 * token opens what its scopes name and nothing once revoked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenCommandIT {
    private TestNodes.TempNode running;
    private String url;

    /** One CLI run: exit code and what it printed. */
    private record Run(int code, String out, String err) {
        /** The first line of a successful `token create`: the token. */
        String token() {
            return out.lines().findFirst().orElseThrow();
        }

        /** The value of `create`'s line "key   value". */
        String field(String key) {
            return out.lines().filter(l -> l.startsWith(key + " ")).findFirst().orElseThrow().substring(key.length()).strip();
        }
    }

    @BeforeAll
    void startNode() throws Exception {
        running = TestNodes.startInTempDir("tributary-token-cli-", Map.of());
        url = "http://127.0.0.1:" + running.node().httpPort();
    }

    @AfterAll
    void stopNode() {
        if (running != null) {
            running.close();
        }
    }

    private Run tributary(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TributaryCli.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    /** As the operator: --url and --admin-token on the command line. */
    private Run operator(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", url, "--admin-token", TestNodes.ADMIN_TOKEN));
        return tributary(Map.of(), all.toArray(String[]::new));
    }

    @Test
    void createListAndRevokeAToken() {
        Run created = operator("token", "create", "--scope", "pipes:read", "--scope", "events:append:customer_events", "--name", "cli reader");
        assertThat(created.code()).as(created.err()).isZero();
        String token = created.token();
        assertThat(token).startsWith("trb_").hasSize(44);
        assertThat(created.field("workspace")).isEqualTo("default");
        assertThat(created.field("scopes")).isEqualTo("pipes:read,events:append:customer_events");
        assertThat(created.field("name")).isEqualTo("cli reader");
        String id = created.field("id");

        Http asReader = new Http(running.node().httpPort(), token);
        assertThat(asReader.get("/v0/pipes").statusCode()).as("its scope opens the pipes").isEqualTo(200);
        assertThat(asReader.get("/v0/tokens").statusCode()).as("it is not an admin token").isEqualTo(403);
        assertThat(asReader.post("/v0/events?name=customer_profiles", "{}").statusCode()).as("appends to one datasource only").isEqualTo(403);

        Run listed = operator("token", "list");
        assertThat(listed.code()).as(listed.err()).isZero();
        assertThat(listed.out().lines().findFirst().orElseThrow()).matches("ID +NAME +WORKSPACE +SCOPES +CREATED +REVOKED");
        assertThat(listed.out()).contains("admin (configured)").doesNotContain(token).doesNotContain(TestNodes.ADMIN_TOKEN);
        String row = listed.out().lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow();
        assertThat(row).contains("cli reader").contains("default").contains("pipes:read,events:append:customer_events").endsWith("-");

        Run revoked = operator("token", "revoke", id);
        assertThat(revoked.code()).as(revoked.err()).isZero();
        assertThat(revoked.out()).isEqualTo("revoked " + id + "\n");
        assertThat(asReader.get("/v0/pipes").statusCode()).as("refused once revoked").isEqualTo(401);
        Run afterRevoke = operator("token", "list");
        System.out.println("tributary token create (token masked):\n" + created.out().replace(token, "trb_…") + "tributary token list after revoke:\n" + afterRevoke.out());
        String revokedRow = afterRevoke.out().lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow();
        assertThat(revokedRow).doesNotEndWith("-").matches(".*Z +\\d{4}-\\d\\d-\\d\\dT.*Z$");
    }

    @Test
    void theOperatorGivesANewWorkspaceItsFirstTokenWhichManagesOnlyThatWorkspace() {
        String workspace = "ws-" + UUID.randomUUID().toString().substring(0, 8);
        Run admin = operator("token", "create", "--scope", "admin", "--workspace", workspace);
        assertThat(admin.code()).as(admin.err()).isZero();
        assertThat(admin.field("workspace")).isEqualTo(workspace);
        assertThat(admin.field("name")).as("defaults to the scopes").isEqualTo("admin");

        // the workspace's admin, through the environment instead of flags
        Map<String, String> env = Map.of("TRIBUTARY_URL", url, "TRIBUTARY_ADMIN_TOKEN", admin.token());
        Run reader = tributary(env, "token", "create", "--scope", "insights:read");
        assertThat(reader.code()).as(reader.err()).isZero();
        assertThat(reader.field("workspace")).isEqualTo(workspace);
        Run listed = tributary(env, "token", "list");
        assertThat(listed.out().lines().skip(1).toList()).hasSize(2).allSatisfy(l -> assertThat(l).contains(workspace));
        assertThat(operator("token", "list", "--workspace", workspace).out()).isEqualTo(listed.out());

        Run elsewhere = tributary(env, "token", "list", "--workspace", "default");
        assertThat(elsewhere.code()).isEqualTo(1);
        assertThat(elsewhere.err()).contains("tributary token list: GET").contains("answered 403").contains("only the operator admin token");
        Run operatorToken = tributary(env, "token", "revoke", TokenStore.ADMIN_TOKEN_ID);
        assertThat(operatorToken.code()).isEqualTo(1);
        assertThat(operatorToken.err()).contains("answered 400");
    }

    @Test
    void refusalsAreExitCode1WithTheNodesError() {
        Run unknownScope = operator("token", "create", "--scope", "pipes:raed");
        assertThat(unknownScope.code()).isEqualTo(1);
        assertThat(unknownScope.out()).isEmpty();
        assertThat(unknownScope.err()).contains("tributary token create: POST " + url + "/v0/tokens answered 400")
                .contains("unknown scope 'pipes:raed'").contains("insights:read");

        Run unknownId = operator("token", "revoke", "noSuchTokenId");
        assertThat(unknownId.code()).isEqualTo(1);
        assertThat(unknownId.err()).contains("answered 404").contains("NOT_FOUND");

        Run wrongToken = tributary(Map.of("TRIBUTARY_URL", url, "TRIBUTARY_ADMIN_TOKEN", "trb_wrong"), "token", "list");
        assertThat(wrongToken.code()).isEqualTo(1);
        assertThat(wrongToken.err()).contains("answered 401");
    }
}
