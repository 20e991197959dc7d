package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code tributary lag}: reads {@code GET /v0/ops} of a running node and prints consumer lag per
 * group and partition, like {@code kafka-consumer-groups --describe}. It asks the node rather than
 * Kafka because the embedded broker listens on the node's loopback only, and the node already
 * measures lag seconds and rates (ConsumerLagMetrics).
 */
final class LagCommand {
    static final String NAME = "lag";
    private static final String TOKEN_NEEDS = "ops:read or admin";
    private static final List<String> HEADER =
            List.of("GROUP", "TOPIC", "PARTITION", "END-OFFSET", "COMMITTED", "LAG", "LAG-SECONDS", "RATE");

    private LagCommand() {
    }

    static CommandSpec spec() {
        CommandSpec spec = CommandSpec.create().name(NAME).mixinStandardHelpOptions(true);
        spec.usageMessage().description("Print consumer lag per group and partition (end offset, committed offset, lag in records "
                + "and seconds, consume rate in records/s) as a running node reports it at GET /v0/ops");
        return NodeClient.withNodeOptions(spec, TOKEN_NEEDS);
    }

    /** Runs the command; 0 on success, 1 when the node cannot be read, 2 on a usage error. */
    static int run(ParseResult parsed, Map<String, String> env, PrintWriter out, PrintWriter err) {
        return NodeClient.run("tributary lag", TOKEN_NEEDS, parsed, env, err, node -> {
            out.print(table(node.call("GET", "/v0/ops", null, 200)));
            out.flush();
        });
    }

    /** The report's partitions as an aligned table, one row per group and partition. */
    static String table(JsonNode report) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (JsonNode group : report.path("groups")) {
            for (JsonNode p : group.path("partitions")) {
                rows.add(List.of(group.path("group").asText(), p.path("topic").asText(), p.path("partition").asText(),
                        NodeClient.cell(p.path("end_offset")), NodeClient.cell(p.path("committed_offset")), NodeClient.cell(p.path("lag")),
                        NodeClient.cell(p.path("lag_seconds")), NodeClient.cell(p.path("consume_rate"))));
            }
        }
        return NodeClient.table(rows);
    }
}
