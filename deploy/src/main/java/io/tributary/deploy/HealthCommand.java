package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * {@code tributary health show|attribute|metric|scoring|member|webhook}: the health-score settings
 * of the admin token's workspace (seed 004), through the node's {@code /api/v1} settings routes.
 * {@code show} prints them all; the others change one thing each and print what it now is:
 * {@code attribute <codename> <type>} and {@code metric <codename> <type>} define (types number,
 * string, boolean, date), {@code scoring --file <path>} sets the scoring configuration (the JSON of
 * {@code PUT /api/v1/scoring}; {@code -} reads stdin), {@code member <email> [--name N]} adds or
 * renames a member, {@code webhook <url>} sets the webhook; each takes {@code --delete} instead.
 */
final class HealthCommand {
    static final String NAME = "health";
    private static final String TOKEN_NEEDS = "admin";
    private static final String API = "/api/v1";
    private static final String DELETE = "--delete";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A wrong combination of arguments: exit code 2 with the command's usage. */
    private static final class Usage extends Exception {
        private static final long serialVersionUID = 1L;

        Usage(String message) {
            super(message);
        }
    }

    private HealthCommand() {
    }

    static CommandLine commandLine() {
        CommandSpec health = CommandSpec.create().name(NAME).mixinStandardHelpOptions(true);
        health.usageMessage().description("Show and change the health-score settings of the admin token's workspace (needs an admin token)");
        CommandLine cli = new CommandLine(health);

        CommandSpec show = CommandSpec.create().name("show").mixinStandardHelpOptions(true);
        show.usageMessage().description("Print the settings: attributes and metrics with their types, scoring components and bands, "
                + "members and the webhook");
        add(cli, show);

        for (String kind : List.of("attribute", "metric")) {
            CommandSpec define = CommandSpec.create().name(kind).mixinStandardHelpOptions(true);
            define.usageMessage().description("Define " + kind + " <codename> with a type (number, string, boolean, date), or delete it");
            define.addPositional(positional(0, "<codename>", true, "The " + kind + "'s codename, as uploads name it (case-sensitive)"));
            define.addPositional(positional(1, "<type>", false, "number, string, boolean or date; only number and boolean can be scored"));
            define.addOption(deleteOption("Delete the " + kind + " (refused while the scoring uses it)"));
            add(cli, define);
        }

        CommandSpec scoring = CommandSpec.create().name("scoring").mixinStandardHelpOptions(true);
        scoring.usageMessage().description("Set the scoring configuration from a JSON file as PUT /api/v1/scoring takes it "
                + "({\"components\": [...], \"bands\": [...]}), or delete it (uploads are then refused with 490)");
        scoring.addOption(OptionSpec.builder("--file").paramLabel("<path>").type(String.class)
                .description("The JSON file; - reads standard input").build());
        scoring.addOption(deleteOption("Delete the scoring configuration"));
        add(cli, scoring);

        CommandSpec member = CommandSpec.create().name("member").mixinStandardHelpOptions(true);
        member.usageMessage().description("Add a member (who gets notifications; uploads' owner_email links to members), or delete one");
        member.addPositional(positional(0, "<email>", true, "The member's email address"));
        member.addOption(OptionSpec.builder("--name").paramLabel("<name>").type(String.class).description("The member's name").build());
        member.addOption(deleteOption("Delete the member"));
        add(cli, member);

        CommandSpec webhook = CommandSpec.create().name("webhook").mixinStandardHelpOptions(true);
        webhook.usageMessage().description("Set the URL every notification is POSTed to (retried with backoff), or delete it");
        webhook.addPositional(positional(0, "<url>", false, "An http:// or https:// URL"));
        webhook.addOption(deleteOption("Delete the webhook"));
        add(cli, webhook);
        return cli;
    }

    private static void add(CommandLine cli, CommandSpec sub) {
        cli.addSubcommand(sub.name(), new CommandLine(NodeClient.withNodeOptions(sub, TOKEN_NEEDS)));
    }

    private static PositionalParamSpec positional(int index, String label, boolean required, String description) {
        return PositionalParamSpec.builder().index(Integer.toString(index)).paramLabel(label).type(String.class)
                .arity(required ? "1" : "0..1").required(required).description(description).build();
    }

    private static OptionSpec deleteOption(String description) {
        return OptionSpec.builder(DELETE).arity("0").type(boolean.class).description(description).build();
    }

    /** Runs {@code tributary health ...}; 0 on success, 1 when the node cannot be reached or refuses, 2 on a usage error. */
    static int run(ParseResult parsed, Map<String, String> env, InputStream in, PrintWriter out, PrintWriter err) {
        if (!parsed.hasSubcommand()) {
            parsed.commandSpec().commandLine().usage(err);
            return 2;
        }
        ParseResult sub = parsed.subcommand();
        String name = sub.commandSpec().name();
        String command = "tributary health " + name;
        Request request;
        try {
            request = request(name, sub, in);
        } catch (Usage e) {
            err.println(command + ": " + e.getMessage());
            sub.commandSpec().commandLine().usage(err);
            return 2;
        }
        return NodeClient.run(command, TOKEN_NEEDS, sub, env, err, node -> {
            JsonNode settings = node.call(request.method(), API + request.path(), request.body(), 200);
            out.print(request.report().apply(settings));
            out.flush();
        });
    }

    /** One call of the settings routes, and what to print from the settings it answers with. */
    private record Request(String method, String path, Object body, java.util.function.Function<JsonNode, String> report) {
    }

    private static Request request(String name, ParseResult sub, InputStream in) throws Usage {
        boolean delete = sub.hasMatchedOption(DELETE);
        String first = sub.matchedPositionalValue(0, null);
        String second = sub.matchedPositionalValue(1, null);
        return switch (name) {
            case "show" -> new Request("GET", "/settings", null, HealthCommand::show);
            case "attribute", "metric" -> {
                String path = "/" + name + "s/" + NodeClient.encode(first);
                if (delete == (second != null)) {
                    throw new Usage("give either a <type> or " + DELETE);
                }
                yield delete ? new Request("DELETE", path, null, s -> "deleted " + name + " " + first + "\n")
                        : new Request("PUT", path, Map.of("type", second), s -> name + " " + first + ": " + second + "\n");
            }
            case "scoring" -> {
                if (delete == sub.hasMatchedOption("--file")) {
                    throw new Usage("give either --file <path> or " + DELETE);
                }
                yield delete ? new Request("DELETE", "/scoring", null, s -> "deleted the scoring configuration\n")
                        : new Request("PUT", "/scoring", scoringFile(sub.matchedOptionValue("--file", ""), in),
                        s -> table(scoringRows(s.path("scoring"))) + table(bandRows(s.path("scoring"))));
            }
            case "member" -> {
                String path = "/members/" + NodeClient.encode(first);
                if (delete && sub.hasMatchedOption("--name")) {
                    throw new Usage("--name has no use with " + DELETE);
                }
                if (delete) {
                    yield new Request("DELETE", path, null, s -> "deleted member " + first + "\n");
                }
                Map<String, Object> body = new LinkedHashMap<>();
                if (sub.hasMatchedOption("--name")) {
                    body.put("name", sub.matchedOptionValue("--name", ""));
                }
                yield new Request("PUT", path, body, s -> table(memberRows(s)));
            }
            default -> {
                if (delete == (first != null)) {
                    throw new Usage("give either a <url> or " + DELETE);
                }
                yield delete ? new Request("DELETE", "/webhook", null, s -> "deleted the webhook\n")
                        : new Request("PUT", "/webhook", Map.of("url", first), s -> "webhook " + s.path("webhook_url").asText() + "\n");
            }
        };
    }

    /** The scoring JSON from {@code path} ({@code -}: {@code in}); not readable or not JSON is a usage error. */
    private static JsonNode scoringFile(String path, InputStream in) throws Usage {
        try {
            byte[] bytes = path.equals("-") ? in.readAllBytes() : Files.readAllBytes(Path.of(path));
            JsonNode json = JSON.readTree(bytes);
            if (json == null || !json.isObject()) {
                throw new Usage((path.equals("-") ? "standard input" : path) + " does not hold a JSON object");
            }
            return json;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Usage((path.equals("-") ? "standard input" : path) + " is not JSON: " + e.getOriginalMessage());
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new Usage("cannot read " + path + ": " + e);
        }
    }

    /** Every setting, as sections of aligned columns. */
    static String show(JsonNode s) {
        StringBuilder text = new StringBuilder(NodeClient.table(List.of(
                List.of("workspace", s.path("workspace_id").asText()),
                List.of("updated", NodeClient.cell(s.path("updated_at"))),
                List.of("webhook", NodeClient.cell(s.path("webhook_url"))),
                List.of("scoring", s.path("scoring").isObject() ? s.path("scoring").path("components").size() + " components"
                        : "none (uploads are refused with 490 until it is set)"))));
        List<List<String>> attributes = new ArrayList<>(List.of(List.of("ATTRIBUTE", "TYPE", "SYSTEM")));
        s.path("attributes").forEach(a -> attributes.add(List.of(a.path("codename").asText(), a.path("type").asText(),
                a.path("system").asBoolean() ? "yes" : "no")));
        List<List<String>> metrics = new ArrayList<>(List.of(List.of("METRIC", "TYPE")));
        s.path("metrics").forEach(m -> metrics.add(List.of(m.path("codename").asText(), m.path("type").asText())));
        for (List<List<String>> section : List.of(attributes, metrics, scoringRows(s.path("scoring")), bandRows(s.path("scoring")),
                memberRows(s))) {
            text.append('\n').append(table(section));
        }
        return text.toString();
    }

    private static List<List<String>> scoringRows(JsonNode scoring) {
        List<List<String>> rows = new ArrayList<>(List.of(List.of("COMPONENT", "WEIGHT", "DIRECTION", "NORMALISATION", "THRESHOLDS")));
        scoring.path("components").forEach(c -> {
            List<String> thresholds = new ArrayList<>();
            c.path("thresholds").forEach(t -> thresholds.add(number(t)));
            rows.add(List.of(c.path("source").asText() + ":" + c.path("codename").asText(), number(c.path("weight")),
                    c.path("direction").asText(), c.path("normalisation").asText(), thresholds.isEmpty() ? "-" : String.join(",", thresholds)));
        });
        return rows;
    }

    private static List<List<String>> bandRows(JsonNode scoring) {
        List<List<String>> rows = new ArrayList<>(List.of(List.of("BAND", "MIN_SCORE")));
        scoring.path("bands").forEach(b -> rows.add(List.of(b.path("name").asText(), number(b.path("min_score")))));
        return rows;
    }

    private static List<List<String>> memberRows(JsonNode s) {
        List<List<String>> rows = new ArrayList<>(List.of(List.of("MEMBER", "NAME")));
        s.path("members").forEach(m -> rows.add(List.of(m.path("email").asText(), NodeClient.cell(m.path("name")))));
        return rows;
    }

    /** A section's table, or its header and "(none)" when it has no rows. */
    private static String table(List<List<String>> rows) {
        return rows.size() == 1 ? rows.get(0).get(0) + "  (none)\n" : NodeClient.table(rows);
    }

    /** 3.0 as 3, 0.5 as 0.5. */
    private static String number(JsonNode value) {
        return value.isNumber() ? BigDecimal.valueOf(value.asDouble()).stripTrailingZeros().toPlainString() : NodeClient.cell(value);
    }
}
