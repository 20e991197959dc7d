package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code tributary token create|list|revoke}: the token admin routes ({@code /v0/tokens}, scope
 * admin) of a running node, from the command line. {@code create} prints the new token alone on
 * the first line ({@code | head -1} keeps just it), then its id, name, workspace and scopes; the
 * node keeps only the token's hash, so this is the one chance to copy it.
 */
final class TokenCommand {
    static final String NAME = "token";
    private static final String CREATE = "create";
    private static final String LIST = "list";
    private static final String REVOKE = "revoke";
    private static final String TOKEN_NEEDS = "admin";
    private static final String PATH = "/v0/tokens";
    /** The API's limit on names; a default name made of many scopes is cut to it. */
    private static final int MAX_NAME_LENGTH = 200;
    private static final List<String> LIST_HEADER = List.of("ID", "NAME", "WORKSPACE", "SCOPES", "CREATED", "REVOKED");

    private TokenCommand() {
    }

    static CommandLine commandLine() {
        CommandSpec token = CommandSpec.create().name(NAME).mixinStandardHelpOptions(true);
        token.usageMessage().description("Create, list and revoke API tokens of a running node (needs an admin token)");
        CommandLine cli = new CommandLine(token);

        CommandSpec create = CommandSpec.create().name(CREATE).mixinStandardHelpOptions(true);
        create.usageMessage().description("Issue a token and print it once (first line), then its id, workspace and scopes");
        create.addOption(OptionSpec.builder("--scope").paramLabel("<scope>").type(List.class).auxiliaryTypes(String.class)
                .required(true).description("A scope of the token, e.g. pipes:read, events:append:customer_events, admin; repeat for more").build());
        create.addOption(OptionSpec.builder("--name").paramLabel("<name>").type(String.class)
                .description("A label for the token (default: its scopes)").build());
        create.addOption(workspaceOption("The workspace to issue it in (default: the admin token's); another workspace needs the operator admin token"));
        cli.addSubcommand(CREATE, new CommandLine(NodeClient.withNodeOptions(create, TOKEN_NEEDS)));

        CommandSpec list = CommandSpec.create().name(LIST).mixinStandardHelpOptions(true);
        list.usageMessage().description("List the tokens of a workspace, oldest first (never the tokens themselves)");
        list.addOption(workspaceOption("The workspace to list (default: the admin token's); another workspace needs the operator admin token"));
        cli.addSubcommand(LIST, new CommandLine(NodeClient.withNodeOptions(list, TOKEN_NEEDS)));

        CommandSpec revoke = CommandSpec.create().name(REVOKE).mixinStandardHelpOptions(true);
        revoke.usageMessage().description("Revoke a token by its id (as `token list` shows it); it is refused from then on");
        revoke.addPositional(PositionalParamSpec.builder().paramLabel("<id>").type(String.class).arity("1").required(true)
                .description("The token's id").build());
        cli.addSubcommand(REVOKE, new CommandLine(NodeClient.withNodeOptions(revoke, TOKEN_NEEDS)));
        return cli;
    }

    private static OptionSpec workspaceOption(String description) {
        return OptionSpec.builder("--workspace").paramLabel("<workspace>").type(String.class).description(description).build();
    }

    /** Runs {@code tributary token ...}; 0 on success, 1 when the node cannot be reached or refuses, 2 on a usage error. */
    static int run(ParseResult parsed, Map<String, String> env, PrintWriter out, PrintWriter err) {
        if (!parsed.hasSubcommand()) {
            parsed.commandSpec().commandLine().usage(err);
            return 2;
        }
        ParseResult sub = parsed.subcommand();
        String name = sub.commandSpec().name();
        return NodeClient.run("tributary token " + name, TOKEN_NEEDS, sub, env, err, node -> {
            switch (name) {
                case CREATE -> create(sub, node, out);
                case LIST -> list(sub, node, out);
                default -> revoke(sub, node, out);
            }
            out.flush();
        });
    }

    private static void create(ParseResult parsed, NodeClient node, PrintWriter out) throws NodeClient.Failed {
        List<String> scopes = parsed.matchedOptionValue("--scope", List.of());
        String defaultName = String.join(" ", scopes);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", parsed.matchedOptionValue("--name", defaultName.substring(0, Math.min(defaultName.length(), MAX_NAME_LENGTH))));
        body.put("scopes", scopes);
        if (parsed.hasMatchedOption("--workspace")) {
            body.put("workspace_id", parsed.matchedOptionValue("--workspace", ""));
        }
        JsonNode created = node.call("POST", PATH, body, 201);
        out.println(created.path("token").asText());
        out.print(NodeClient.table(List.of(
                List.of("id", created.path("id").asText()),
                List.of("name", created.path("name").asText()),
                List.of("workspace", created.path("workspace_id").asText()),
                List.of("scopes", scopes(created)),
                List.of("created", time(created.path("created_at"))))));
        out.println("(the token is shown this once: the node keeps only its hash)");
    }

    private static void list(ParseResult parsed, NodeClient node, PrintWriter out) throws NodeClient.Failed {
        String query = parsed.hasMatchedOption("--workspace")
                ? "?workspace_id=" + NodeClient.encode(parsed.matchedOptionValue("--workspace", "")) : "";
        List<List<String>> rows = new ArrayList<>();
        rows.add(LIST_HEADER);
        for (JsonNode t : node.call("GET", PATH + query, null, 200).path("data")) {
            rows.add(List.of(t.path("id").asText(), t.path("name").asText(), t.path("workspace_id").asText(), scopes(t),
                    time(t.path("created_at")), time(t.path("revoked_at"))));
        }
        out.print(NodeClient.table(rows));
    }

    private static void revoke(ParseResult parsed, NodeClient node, PrintWriter out) throws NodeClient.Failed {
        String id = parsed.matchedPositionalValue(0, "");
        node.call("DELETE", PATH + "/" + NodeClient.encode(id), null, 204);
        out.println("revoked " + id);
    }

    private static String scopes(JsonNode token) {
        List<String> scopes = new ArrayList<>();
        token.path("scopes").forEach(s -> scopes.add(s.asText()));
        return String.join(",", scopes);
    }

    /** Unix seconds as an ISO-8601 UTC time; "-" for none. */
    private static String time(JsonNode seconds) {
        return seconds.isNumber() ? Instant.ofEpochSecond(seconds.asLong()).toString() : NodeClient.cell(seconds);
    }
}
