package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.platform.config.Setting;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code tributary lag}: reads {@code GET /v0/ops} of a running node and prints consumer lag per
 * group and partition, like {@code kafka-consumer-groups --describe}. It asks the node rather than
 * Kafka because the embedded broker listens on the node's loopback only, and the node already
 * measures lag seconds and rates (ConsumerLagMetrics).
 */
final class LagCommand {
    static final String NAME = "lag";
    static final String URL_ENV = "TRIBUTARY_URL";
    private static final String DEFAULT_URL = "http://localhost:8080";
    private static final List<String> HEADER =
            List.of("GROUP", "TOPIC", "PARTITION", "END-OFFSET", "COMMITTED", "LAG", "LAG-SECONDS", "RATE");

    private LagCommand() {
    }

    static CommandSpec spec() {
        CommandSpec spec = CommandSpec.create().name(NAME).mixinStandardHelpOptions(true);
        spec.usageMessage().description("Print consumer lag per group and partition (end offset, committed offset, lag in records "
                + "and seconds, consume rate in records/s) as a running node reports it at GET /v0/ops");
        spec.addOption(OptionSpec.builder("--url").paramLabel("<url>").type(String.class)
                .description("Base URL of a running node [env " + URL_ENV + ", default " + DEFAULT_URL + "]").build());
        spec.addOption(OptionSpec.builder(Setting.ADMIN_TOKEN.flag()).paramLabel("<token>").type(String.class)
                .description("A token with scope ops:read or admin [env " + Setting.ADMIN_TOKEN.envVar() + "]").build());
        return spec;
    }

    /** Runs the command; 0 on success, 1 when the node cannot be read, 2 on a usage error. */
    static int run(ParseResult parsed, Map<String, String> env, PrintWriter out, PrintWriter err) {
        String url = parsed.matchedOptionValue("--url", env.getOrDefault(URL_ENV, DEFAULT_URL));
        String token = parsed.matchedOptionValue(Setting.ADMIN_TOKEN.flag(), env.getOrDefault(Setting.ADMIN_TOKEN.envVar(), ""));
        if (token.isBlank()) {
            err.println("tributary lag: set " + Setting.ADMIN_TOKEN.flag() + " or " + Setting.ADMIN_TOKEN.envVar()
                    + " (a token with scope ops:read or admin)");
            return 2;
        }
        String target = url.replaceAll("/+$", "") + "/v0/ops";
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(target))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                err.println("tributary lag: GET " + target + " answered " + response.statusCode() + ": " + response.body());
                return 1;
            }
            out.print(table(new ObjectMapper().readTree(response.body())));
            out.flush();
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            err.println("tributary lag: cannot read " + target + ": " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** The report's partitions as an aligned table, one row per group and partition. */
    static String table(JsonNode report) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (JsonNode group : report.path("groups")) {
            for (JsonNode p : group.path("partitions")) {
                rows.add(List.of(group.path("group").asText(), p.path("topic").asText(), p.path("partition").asText(),
                        value(p.path("end_offset")), value(p.path("committed_offset")), value(p.path("lag")),
                        value(p.path("lag_seconds")), value(p.path("consume_rate"))));
            }
        }
        int[] widths = new int[HEADER.size()];
        rows.forEach(r -> {
            for (int i = 0; i < r.size(); i++) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        });
        StringBuilder text = new StringBuilder();
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                line.append(String.format("%-" + widths[i] + "s", r.get(i))).append(i + 1 < r.size() ? "  " : "");
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }

    private static String value(JsonNode v) {
        return v.isMissingNode() || v.isNull() ? "-" : v.asText();
    }
}
