package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tributary health ...} against a real all-in-one node, with a workspace's admin token from
 * the environment; every change is checked with GET /api/v1/settings, every refusal carries the
 * node's error and exit code 1, every wrong combination of arguments exit code 2.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HealthCommandIT {
    private static final String SCORING = """
            {"components": [
              {"source": "metric", "codename": "logins", "weight": 3, "normalisation": "thresholds", "thresholds": [0, 10, 50.5]},
              {"source": "attribute", "codename": "seats", "direction": "lower_is_better", "normalisation": "percentile"}],
             "bands": [{"name": "good", "min_score": 60}, {"name": "poor", "min_score": 0}]}""";

    private NodeWithTokens running;

    /** One CLI run: exit code and what it printed. */
    private record Run(int code, String out, String err) {
    }

    @BeforeAll
    void startNode() throws Exception {
        running = NodeWithTokens.start("tributary-health-cli-", Map.of());
    }

    @AfterAll
    void stopNode() {
        if (running != null) {
            running.close();
        }
    }

    /** A new workspace's admin: the environment the CLI reads, and an HTTP client with the same token. */
    private record Admin(Map<String, String> env, Http http) {
    }

    private Admin admin(String workspace) {
        String token = running.issueToken(workspace, "admin");
        Http http = running.operator().withToken(token);
        Await.until("the node to know the new token", () -> http.get("/api/v1/settings").statusCode() == 200);
        return new Admin(Map.of("TRIBUTARY_URL", "http://127.0.0.1:" + running.node().httpPort(), "TRIBUTARY_ADMIN_TOKEN", token), http);
    }

    private static Run tributary(Map<String, String> env, InputStream in, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TributaryCli.run(args, env, in, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private static Run ok(Admin admin, String... args) {
        Run run = tributary(admin.env(), InputStream.nullInputStream(), args);
        assertThat(run.code()).as(String.join(" ", args) + "\n" + run.err()).isZero();
        assertThat(run.err()).isEmpty();
        return run;
    }

    private static JsonNode settings(Admin admin) {
        return Http.json(admin.http().get("/api/v1/settings"));
    }

    private static List<String> definitions(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(d -> out.add(d.path("codename").asText() + ":" + d.path("type").asText()));
        return out;
    }

    @Test
    void everySettingIsSetShownAndDeletedFromTheCommandLine(@TempDir Path dir) throws Exception {
        Admin admin = admin("ws-cli");
        Run empty = ok(admin, "health", "show");
        assertThat(empty.out()).contains("workspace  ws-cli").contains("none (uploads are refused with 490")
                .contains("METRIC  (none)").contains("MEMBER  (none)").contains("COMPONENT  (none)");
        assertThat(empty.out().lines().filter(l -> l.startsWith("webhook")).findFirst().orElseThrow()).endsWith("-");
        assertThat(empty.out().lines().filter(l -> l.startsWith("renewal_date")).findFirst().orElseThrow()).matches("renewal_date +date +yes");

        assertThat(ok(admin, "health", "attribute", "seats", "number").out()).isEqualTo("attribute seats: number\n");
        ok(admin, "health", "attribute", "region", "string");
        ok(admin, "health", "metric", "logins", "number");
        ok(admin, "health", "metric", "plan", "string");
        Path scoring = Files.writeString(dir.resolve("scoring.json"), SCORING);
        Run scored = ok(admin, "health", "scoring", "--file", scoring.toString());
        assertThat(scored.out()).contains("metric:logins").contains("attribute:seats  1").contains("0,10,50.5").contains("lower_is_better")
                .contains("good").contains("60");
        assertThat(ok(admin, "health", "member", "ops@example.com", "--name", "Ops Team").out()).contains("ops@example.com  Ops Team");
        ok(admin, "health", "member", "second+tag@example.com");
        assertThat(ok(admin, "health", "webhook", "https://hooks.example.com/tributary?team=a").out())
                .isEqualTo("webhook https://hooks.example.com/tributary?team=a\n");

        JsonNode s = settings(admin);
        assertThat(definitions(s.get("attributes"))).contains("seats:number", "region:string", "crm_link:string");
        assertThat(definitions(s.get("metrics"))).containsExactly("logins:number", "plan:string");
        JsonNode components = s.get("scoring").get("components");
        assertThat(components).hasSize(2);
        assertThat(components.get(0).get("codename").asText()).isEqualTo("logins");
        assertThat(components.get(0).get("weight").asDouble()).isEqualTo(3.0);
        assertThat(components.get(1).get("direction").asText()).isEqualTo("lower_is_better");
        assertThat(s.get("scoring").get("bands").toString()).isEqualTo("[{\"name\":\"good\",\"min_score\":60.0},{\"name\":\"poor\",\"min_score\":0.0}]");
        assertThat(s.get("members").toString()).isEqualTo("[{\"email\":\"ops@example.com\",\"name\":\"Ops Team\"},"
                + "{\"email\":\"second+tag@example.com\",\"name\":null}]");
        assertThat(s.get("webhook_url").asText()).isEqualTo("https://hooks.example.com/tributary?team=a");

        Run shown = ok(admin, "health", "show");
        System.out.println("tributary health show:\n" + shown.out());
        assertThat(shown.out()).contains("webhook    https://hooks.example.com/tributary?team=a").contains("scoring    2 components");
        assertThat(shown.out().lines()).contains("seats          number  no", "plan    string", "second+tag@example.com  -")
                .anySatisfy(l -> assertThat(l).matches("metric:logins +3 +higher_is_better +thresholds +0,10,50\\.5"));

        assertThat(ok(admin, "health", "metric", "plan", "--delete").out()).isEqualTo("deleted metric plan\n");
        ok(admin, "health", "attribute", "region", "--delete");
        ok(admin, "health", "member", "second+tag@example.com", "--delete");
        assertThat(ok(admin, "health", "webhook", "--delete").out()).isEqualTo("deleted the webhook\n");
        s = settings(admin);
        assertThat(definitions(s.get("metrics"))).containsExactly("logins:number");
        assertThat(definitions(s.get("attributes"))).doesNotContain("region:string");
        assertThat(s.get("members")).hasSize(1);
        assertThat(s.get("webhook_url").isNull()).isTrue();

        // the scoring from standard input, then none
        Run fromStdin = tributary(admin.env(), new ByteArrayInputStream(SCORING.replace("\"weight\": 3", "\"weight\": 7")
                .getBytes(StandardCharsets.UTF_8)), "health", "scoring", "--file", "-");
        assertThat(fromStdin.code()).as(fromStdin.err()).isZero();
        assertThat(settings(admin).get("scoring").get("components").get(0).get("weight").asDouble()).isEqualTo(7.0);
        assertThat(ok(admin, "health", "scoring", "--delete").out()).isEqualTo("deleted the scoring configuration\n");
        assertThat(settings(admin).get("scoring").isNull()).isTrue();
        assertThat(settings(running.operator()).get("workspace_id").asText()).as("the operator's workspace is another").isEqualTo("default");
    }

    private static JsonNode settings(Http http) {
        return Http.json(http.get("/api/v1/settings"));
    }

    @Test
    void refusalsAreExitCode1WithTheNodesErrorAndWrongArgumentsExitCode2(@TempDir Path dir) throws Exception {
        Admin admin = admin("ws-cli-errors");
        ok(admin, "health", "metric", "logins", "number");
        ok(admin, "health", "scoring", "--file", Files.writeString(dir.resolve("s.json"),
                "{\"components\": [{\"source\": \"metric\", \"codename\": \"logins\", \"normalisation\": \"percentile\"}]}").toString());
        JsonNode before = settings(admin);

        Run badType = run(admin, "health", "attribute", "seats", "colour");
        assertThat(badType.code()).isEqualTo(1);
        assertThat(badType.out()).isEmpty();
        assertThat(badType.err()).startsWith("tributary health attribute: PUT http://127.0.0.1:").contains("/api/v1/attributes/seats answered 400")
                .contains("must be one of");
        Run inUse = run(admin, "health", "metric", "logins", "--delete");
        assertThat(inUse.code()).isEqualTo(1);
        assertThat(inUse.err()).contains("answered 409").contains("is a scoring component");
        assertThat(run(admin, "health", "member", "nobody@example.com", "--delete").err()).contains("answered 404");
        Run badUrl = run(admin, "health", "webhook", "ftp://example.com/hook");
        assertThat(badUrl.code()).isEqualTo(1);
        assertThat(badUrl.err()).contains("answered 400").contains("invalid webhook url");
        Run badScoring = run(admin, "health", "scoring", "--file", Files.writeString(dir.resolve("bad.json"),
                "{\"components\": [{\"source\": \"metric\", \"codename\": \"nope\", \"normalisation\": \"percentile\"}]}").toString());
        assertThat(badScoring.code()).isEqualTo(1);
        assertThat(badScoring.err()).contains("answered 400").contains("components[0].codename").contains("define it first");

        for (String[] args : List.of(
                new String[] {"health"},
                new String[] {"health", "attribute", "seats"},
                new String[] {"health", "attribute", "seats", "number", "--delete"},
                new String[] {"health", "metric"},
                new String[] {"health", "scoring"},
                new String[] {"health", "scoring", "--file", "x.json", "--delete"},
                new String[] {"health", "scoring", "--file", dir.resolve("missing.json").toString()},
                new String[] {"health", "scoring", "--file", Files.writeString(dir.resolve("text.json"), "components: none").toString()},
                new String[] {"health", "scoring", "--file", Files.writeString(dir.resolve("array.json"), "[1]").toString()},
                new String[] {"health", "member", "a@example.com", "--name", "A", "--delete"},
                new String[] {"health", "webhook"},
                new String[] {"health", "webhook", "https://example.com", "--delete"},
                new String[] {"health", "show", "extra"})) {
            Run usage = run(admin, args);
            assertThat(usage.code()).as(String.join(" ", args) + "\n" + usage.err()).isEqualTo(2);
            assertThat(usage.out()).isEmpty();
            assertThat(usage.err()).contains("Usage:");
        }
        assertThat(run(admin, "health", "scoring", "--file", dir.resolve("text.json").toString()).err()).contains("is not JSON");

        Run noToken = tributary(Map.of("TRIBUTARY_URL", admin.env().get("TRIBUTARY_URL")), InputStream.nullInputStream(), "health", "show");
        assertThat(noToken.code()).isEqualTo(2);
        assertThat(noToken.err()).contains("TRIBUTARY_ADMIN_TOKEN");
        Run wrongToken = tributary(Map.of("TRIBUTARY_URL", admin.env().get("TRIBUTARY_URL"), "TRIBUTARY_ADMIN_TOKEN", "trb_wrong"),
                InputStream.nullInputStream(), "health", "show");
        assertThat(wrongToken.code()).isEqualTo(1);
        assertThat(wrongToken.err()).contains("answered 401");
        String reader = running.issueToken("ws-cli-errors", "analytics:read");
        Await.until("the node to know the reader token", () -> running.operator().withToken(reader).get("/api/v1/settings").statusCode() != 401);
        Run notAdmin = tributary(Map.of("TRIBUTARY_URL", admin.env().get("TRIBUTARY_URL"), "TRIBUTARY_ADMIN_TOKEN", reader),
                InputStream.nullInputStream(), "health", "webhook", "https://example.com/hook");
        assertThat(notAdmin.code()).isEqualTo(1);
        assertThat(notAdmin.err()).contains("answered 403");
        Run unreachable = tributary(Map.of("TRIBUTARY_URL", "http://127.0.0.1:1", "TRIBUTARY_ADMIN_TOKEN", "trb_x"),
                InputStream.nullInputStream(), "health", "show");
        assertThat(unreachable.code()).isEqualTo(1);
        assertThat(unreachable.err()).contains("tributary health show: cannot read http://127.0.0.1:1/api/v1/settings");

        assertThat(settings(admin)).as("nothing refused changed anything").isEqualTo(before);
    }

    private static Run run(Admin admin, String... args) {
        return tributary(admin.env(), InputStream.nullInputStream(), args);
    }
}
