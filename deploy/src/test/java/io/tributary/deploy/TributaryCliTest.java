package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.platform.config.Setting;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TributaryCliTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        return TributaryCli.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void everySettingIsAFlagOfEveryRoleCommandWithItsEnvVar() {
        for (String command : new String[] {"up", "all", "gateway", "processors", "query", "replay"}) {
            StringWriter help = new StringWriter();
            TributaryCli.commandLine().getSubcommands().get(command).usage(new PrintWriter(help));
            for (Setting s : Setting.values()) {
                assertThat(help.toString()).as(command).contains(s.flag()).contains(s.envVar());
            }
        }
    }

    @Test
    void separateRolesNeedExternalKafkaAndRegistry() {
        assertThat(run(Map.of(), "gateway")).isEqualTo(2);
        assertThat(err.toString()).contains("--kafka-bootstrap").contains("TRIBUTARY_KAFKA_BOOTSTRAP");

        assertThat(run(Map.of("TRIBUTARY_KAFKA_BOOTSTRAP", "127.0.0.1:1"), "query")).isEqualTo(2);
        assertThat(err.toString()).contains("--schema-registry-url");
    }

    @Test
    void duckDbCannotBeSplitAcrossProcesses() {
        assertThat(run(Map.of(), "processors", "--kafka-bootstrap", "127.0.0.1:1", "--schema-registry-url", "http://127.0.0.1:1")).isEqualTo(2);
        assertThat(err.toString()).contains("DuckDB").contains("--store clickhouse");
    }

    @Test
    void badValuesAndUnknownFlagsAreUsageErrors() {
        assertThat(run(Map.of(), "up", "--http-port", "eighty")).isEqualTo(2);
        assertThat(err.toString()).contains("--http-port");
        assertThat(run(Map.of(), "up", "--no-such-flag")).isEqualTo(2);
        assertThat(err.toString()).contains("--no-such-flag");
        assertThat(run(Map.of())).isEqualTo(2);
        assertThat(out.toString()).contains("up").contains("gateway");
    }

    @Test
    void rebuildStoreIsAFlagOfTheCommandsThatRunTheSinksOnly() {
        for (String command : new String[] {"up", "all", "processors"}) {
            StringWriter help = new StringWriter();
            TributaryCli.commandLine().getSubcommands().get(command).usage(new PrintWriter(help));
            assertThat(help.toString()).as(command).contains("--rebuild-store").contains("offset zero");
        }
        assertThat(run(Map.of(), "gateway", "--rebuild-store")).isEqualTo(2);
        assertThat(err.toString()).contains("--rebuild-store");
        assertThat(run(Map.of(), "query", "--rebuild-store")).isEqualTo(2);
    }

    @Test
    void lagNeedsATokenAndSaysWhenTheNodeCannotBeRead() {
        assertThat(run(Map.of(), "lag")).isEqualTo(2);
        assertThat(err.toString()).contains("--admin-token").contains("TRIBUTARY_ADMIN_TOKEN");
        assertThat(run(Map.of("TRIBUTARY_ADMIN_TOKEN", "t", "TRIBUTARY_URL", "http://127.0.0.1:1"), "lag")).isEqualTo(1);
        assertThat(err.toString()).contains("cannot read http://127.0.0.1:1/v0/ops");
    }

    @Test
    void tokenCommandsNeedASubcommandAnAdminTokenAndForCreateAScope() {
        assertThat(run(Map.of(), "token")).isEqualTo(2);
        assertThat(err.toString()).contains("create").contains("list").contains("revoke");
        assertThat(run(Map.of(), "token", "list")).isEqualTo(2);
        assertThat(err.toString()).contains("tributary token list: set --admin-token or TRIBUTARY_ADMIN_TOKEN (a token with scope admin)");
        assertThat(run(Map.of("TRIBUTARY_ADMIN_TOKEN", "t"), "token", "create")).isEqualTo(2);
        assertThat(err.toString()).contains("--scope");
        assertThat(run(Map.of("TRIBUTARY_ADMIN_TOKEN", "t"), "token", "revoke")).isEqualTo(2);
        assertThat(err.toString()).contains("<id>");
        assertThat(run(Map.of("TRIBUTARY_ADMIN_TOKEN", "t", "TRIBUTARY_URL", "http://127.0.0.1:1"), "token", "create", "--scope", "admin"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("tributary token create: cannot send POST to http://127.0.0.1:1/v0/tokens");
        for (String sub : new String[] {"create", "list", "revoke"}) {
            StringWriter help = new StringWriter();
            TributaryCli.commandLine().getSubcommands().get("token").getSubcommands().get(sub).usage(new PrintWriter(help));
            assertThat(help.toString()).as(sub).contains("--url").contains("TRIBUTARY_URL").contains("--admin-token");
        }
    }

    @Test
    void healthCommandsListTheirSubcommandsAndRefuseWrongArgumentsBeforeAskingTheNode() {
        assertThat(run(Map.of(), "health")).isEqualTo(2);
        assertThat(err.toString()).contains("show").contains("attribute").contains("metric").contains("scoring").contains("member")
                .contains("webhook");
        Map<String, String> unreachable = Map.of("TRIBUTARY_ADMIN_TOKEN", "t", "TRIBUTARY_URL", "http://127.0.0.1:1");
        assertThat(run(unreachable, "health", "metric", "logins")).isEqualTo(2);
        assertThat(err.toString()).contains("tributary health metric: give either a <type> or --delete");
        assertThat(run(unreachable, "health", "webhook", "https://example.com", "--delete")).isEqualTo(2);
        assertThat(run(unreachable, "health", "scoring", "--file", "no-such-scoring.json")).isEqualTo(2);
        assertThat(err.toString()).contains("cannot read no-such-scoring.json");
        assertThat(run(unreachable, "health", "metric", "logins", "number")).isEqualTo(1);
        assertThat(err.toString()).contains("tributary health metric: cannot send PUT to http://127.0.0.1:1/api/v1/metrics/logins");
        StringWriter help = new StringWriter();
        TributaryCli.commandLine().getSubcommands().get("health").getSubcommands().get("attribute").usage(new PrintWriter(help));
        assertThat(help.toString()).contains("<codename> [<type>]").contains("--delete").contains("--admin-token");
    }

    @Test
    void replayIsInTheUsageAndTakesAnInstantADateOrEarliest() {
        assertThat(run(Map.of())).isEqualTo(2);
        assertThat(out.toString()).contains("replay");
        assertThat(ReplayCommand.parseFrom("2026-12-01T08:30:00Z")).contains(Instant.parse("2026-12-01T08:30:00Z"));
        assertThat(ReplayCommand.parseFrom("2026-12-01T08:30:00+02:00")).contains(Instant.parse("2026-12-01T06:30:00Z"));
        assertThat(ReplayCommand.parseFrom("2026-12-01T08:30:00")).as("no offset: UTC").contains(Instant.parse("2026-12-01T08:30:00Z"));
        assertThat(ReplayCommand.parseFrom("2026-12-01")).as("a date: its start in UTC").contains(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(ReplayCommand.parseFrom("earliest")).isEmpty();
    }

    @Test
    void replayWithoutOrWithABadFromIsAUsageError() {
        assertThat(run(Map.of(), "replay")).isEqualTo(2);
        assertThat(err.toString()).contains("--from");
        assertThat(run(Map.of(), "replay", "--from", "yesterday")).isEqualTo(2);
        assertThat(err.toString()).contains("'yesterday' is not a timestamp").contains("earliest");
    }

    @Test
    void everyUsageRendersWithoutAPicocliWarning() {
        // picocli formats descriptions with String.format: a lone % makes it print the raw text and a WARN on stderr
        java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stderr = System.err;
        java.util.ArrayDeque<picocli.CommandLine> commands = new java.util.ArrayDeque<>(java.util.List.of(TributaryCli.commandLine()));
        int rendered = 0;
        System.setErr(new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            while (!commands.isEmpty()) {
                picocli.CommandLine command = commands.pop();
                commands.addAll(command.getSubcommands().values());
                command.usage(new PrintWriter(new StringWriter()));
                rendered++;
            }
        } finally {
            System.setErr(stderr);
        }
        assertThat(warnings.toString(java.nio.charset.StandardCharsets.UTF_8)).isEmpty();
        assertThat(rendered).isGreaterThan(10);
    }
}
