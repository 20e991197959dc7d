package io.tributary.deploy.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/** The {@code tributary bench} command: its options and how they become {@link BenchOptions}. */
public final class BenchCommand {
    public static final String NAME = "bench";

    private BenchCommand() {
    }

    public static CommandSpec spec() {
        CommandSpec spec = CommandSpec.create().name(NAME).mixinStandardHelpOptions(true);
        spec.usageMessage().description("Measure throughput, freshness, a bulk customer upload's time to scored, pipe latency and memory on this machine: "
                + "starts its own all-in-one node in a temp data dir; prints progress and a markdown table; writes bench.json and PNG charts into --out");
        spec.addOption(OptionSpec.builder("--store").paramLabel("<duckdb|clickhouse>").type(String.class).defaultValue("duckdb")
                .description("Analytics store [default duckdb]").build());
        spec.addOption(OptionSpec.builder("--clickhouse-url").paramLabel("<url>").type(String.class).defaultValue("http://127.0.0.1:8123")
                .description("ClickHouse HTTP endpoint with --store clickhouse (database tributary_bench, emptied first) [default http://127.0.0.1:8123]").build());
        spec.addOption(OptionSpec.builder("--quick").arity("0").type(boolean.class)
                .description("1,000,000 query events instead of 10,000,000 (and smaller ingest phases)").build());
        spec.addOption(OptionSpec.builder("--events").paramLabel("<n>").type(long.class)
                .description("Events of the query data set, over 100,000 customers (events/10 below 1,000,000 events) [default 10000000; 1000000 with --quick]").build());
        spec.addOption(OptionSpec.builder("--ingest").paramLabel("<n>").type(long.class)
                .description("Records of the baseline and gateway phases [default events/10, between 20000 and 1000000]").build());
        spec.addOption(OptionSpec.builder("--freshness-seconds").paramLabel("<s>").type(int.class)
                .description("Length of the freshness phase [default 30 at 10M events, 20 at 1M, else 5]").build());
        spec.addOption(OptionSpec.builder("--calls").paramLabel("<n>").type(int.class)
                .description("Calls per pipe (and as many raw queries) [default 200; workspace-wide pipes fewer when 200 do not fit the time budget]").build());
        spec.addOption(OptionSpec.builder("--upload").arity("0").type(boolean.class)
                .description("Only the upload phase: POST /api/v1/customers with 10,000 customers x 200 metric dates (1,000 x 50 with --quick), "
                        + "then time until every health score is queryable (target <= 10 s after the 200); after a warm-up upload of a tenth").build());
        spec.addOption(OptionSpec.builder("--upload-customers").paramLabel("<n>").type(int.class)
                .description("Customers of the upload phase [default 10000; 1000 with --quick]").build());
        spec.addOption(OptionSpec.builder("--upload-metrics").paramLabel("<n>").type(int.class)
                .description("Dated metric items per uploaded customer, each with 3 metrics, at most 200 [default 200; 50 with --quick]").build());
        spec.addOption(OptionSpec.builder("--no-upload-warm-up").arity("0").type(boolean.class)
                .description("Time the upload on a cold JVM: without the warm-up upload of a tenth of the size into another workspace first").build());
        spec.addOption(OptionSpec.builder("--soak").paramLabel("<duration>").type(String.class)
                .description("Soak run (e.g. 10m, 90s): measure the baseline, sink and gateway maxima, then load at 70%% of the lowest for that long; "
                        + "every minute rows/s, marker p99, heap after a full GC, RSS and consumer lag; at the end the heap and RSS slopes (flat or not)").build());
        spec.addOption(OptionSpec.builder("--out").paramLabel("<dir>").type(String.class).defaultValue("bench-results")
                .description("Directory for bench.json, bench.md and the PNG charts [default ./bench-results]").build());
        return spec;
    }

    public static BenchOptions options(ParseResult sub) {
        boolean quick = sub.hasMatchedOption("--quick");
        long events = sub.hasMatchedOption("--events") ? sub.matchedOptionValue("--events", 0L)
                : quick ? BenchOptions.QUICK_EVENTS : BenchOptions.DEFAULT_EVENTS;
        long ingest = sub.hasMatchedOption("--ingest") ? sub.matchedOptionValue("--ingest", 0L) : BenchOptions.defaultIngest(events);
        int freshness = sub.hasMatchedOption("--freshness-seconds") ? sub.matchedOptionValue("--freshness-seconds", 0)
                : BenchOptions.defaultFreshnessSeconds(events);
        int uploadCustomers = sub.hasMatchedOption("--upload-customers") ? sub.matchedOptionValue("--upload-customers", 0)
                : quick ? BenchOptions.QUICK_UPLOAD_CUSTOMERS : BenchOptions.DEFAULT_UPLOAD_CUSTOMERS;
        int uploadDates = sub.hasMatchedOption("--upload-metrics") ? sub.matchedOptionValue("--upload-metrics", 0)
                : quick ? BenchOptions.QUICK_UPLOAD_DATES : BenchOptions.DEFAULT_UPLOAD_DATES;
        return new BenchOptions(sub.matchedOptionValue("--store", "duckdb"), sub.matchedOptionValue("--clickhouse-url", "http://127.0.0.1:8123"),
                quick, events, ingest, freshness,
                sub.hasMatchedOption("--calls") ? sub.matchedOptionValue("--calls", 0) : BenchOptions.DEFAULT_CALLS, Path.of(sub.matchedOptionValue("--out", "bench-results")),
                sub.hasMatchedOption("--upload"), uploadCustomers, uploadDates, !sub.hasMatchedOption("--no-upload-warm-up"),
                sub.hasMatchedOption("--soak") ? BenchOptions.parseDuration(sub.matchedOptionValue("--soak", "")) : null);
    }

    /** Runs the bench; returns the exit code. */
    public static int run(ParseResult sub, PrintWriter out, PrintWriter err) {
        BenchOptions options;
        try {
            options = options(sub);
        } catch (IllegalArgumentException e) {
            err.println("bench: " + e.getMessage());
            return 2;
        }
        try {
            Bench.run(options, out);
            return 0;
        } catch (Exception e) {
            err.println("bench failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }
}
