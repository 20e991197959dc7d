package io.tributary.deploy.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * The figures of one bench run: a JSON document ({@code bench.json}), a markdown table with the
 * README's targets beside the figures, and two PNG charts (throughputs; pipe and raw latencies).
 */
public final class BenchResults {
    static final double PER_CUSTOMER_P99_MS = 20;
    static final double WORKSPACE_P99_MS = 300;
    static final double PIPE_RAW_RATIO = 1.2;
    static final double HEAP_MIB = 1024;

    private final BenchOptions options;
    private final Map<String, Object> root = new LinkedHashMap<>();

    BenchResults(BenchOptions options) {
        this.options = options;
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        machine.put("java", System.getProperty("java.version"));
        root.put("load_average_start", loadAverage());
        root.put("machine", machine);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("store", options.store());
        run.put("quick", options.quick());
        run.put("events", options.events());
        run.put("customers", options.customers());
        run.put("ingest_records", options.ingestRecords());
        run.put("freshness_seconds", options.freshnessSeconds());
        run.put("upload_only", options.uploadOnly());
        run.put("upload_customers", options.uploadCustomers());
        run.put("upload_metric_dates", options.uploadDates());
        run.put("upload_warm_up", options.uploadWarmUp());
        root.put("run", run);
    }

    /** The whole document (phase name → figures). */
    public Map<String, Object> asMap() {
        return root;
    }

    @SuppressWarnings("unchecked")
    void put(String phase, String key, Object value) {
        ((Map<String, Object>) root.computeIfAbsent(phase, k -> new LinkedHashMap<String, Object>())).put(key, value);
    }

    @SuppressWarnings("unchecked")
    double number(String phase, String key) {
        return ((Number) ((Map<String, Object>) root.get(phase)).get(key)).doubleValue();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> pipes() {
        return (Map<String, Map<String, Object>>) ((Map<String, Object>) root.get("queries")).get("pipes");
    }

    /** Rows of the markdown table: phase, metric, value, target, met. */
    List<String[]> tableRows() {
        List<String[]> rows = new ArrayList<>();
        if (!options.uploadOnly()) {
            ingestRows(rows);
        }
        uploadRows(rows);
        if (!options.uploadOnly()) {
            queryRows(rows);
        }
        double heap = number("memory", "heap_used_mib");
        String at = options.events() >= BenchOptions.DEFAULT_EVENTS || options.uploadOnly() ? "" : " (at 10M)";
        rows.add(row("memory", "heap used MiB (after full GC)", fmt(heap, 0) + " (" + fmt(number("memory", "heap_used_after_gc_mib"), 0) + ")",
                "≤ 1024" + at, met(heap <= HEAP_MIB)));
        rows.add(row("memory", "RSS MiB (VmRSS, includes the store's native memory)", fmt(number("memory", "rss_mib"), 0), "", ""));
        rows.add(row("machine", "load average at start / end (1 min)", root.get("load_average_start") + " / " + root.get("load_average_end"),
                "", ""));
        return rows;
    }

    private void uploadRows(List<String[]> rows) {
        double target = BenchOptions.UPLOAD_TARGET_SECONDS;
        double scored = number("upload", "scores_queryable_seconds_after_200");
        String at = options.uploadAtAcceptanceSize() ? "" : " (at 10,000 × 200)";
        rows.add(row("upload", String.format(Locale.ROOT, "POST /api/v1/customers, %,d customers × %d metric dates (%s MB): s to the 200",
                options.uploadCustomers(), options.uploadDates(), fmt(number("upload", "body_mb"), 1)), fmt(number("upload", "seconds_to_200"), 1), "", ""));
        rows.add(row("upload", "every score queryable, s after the 200" + (options.uploadWarmUp() ? " (JVM warmed by a smaller upload)" : " (cold JVM)"),
                fmt(scored, 1), "≤ " + fmt(target, 0) + at, met(scored <= target)));
        rows.add(row("upload", "upload notification listed, s after the 200", fmt(number("upload", "notification_seconds_after_200"), 1), "", ""));
        rows.add(row("upload", String.format(Locale.ROOT, "all %,d metric rows stored, s after the 200", (long) number("upload", "metric_rows")),
                fmt(number("upload", "metric_rows_stored_seconds_after_200"), 1), "", ""));
        if (((Map<?, ?>) root.get("upload")).get("warm_up") instanceof Map<?, ?> warm) {
            rows.add(row("upload", String.format(Locale.ROOT, "warm-up upload (cold JVM), %,d customers: s to the 200 / every score queryable after it",
                    ((Number) warm.get("customers")).intValue()), fmt(((Number) warm.get("seconds_to_200")).doubleValue(), 1) + " / "
                    + fmt(((Number) warm.get("scores_queryable_seconds_after_200")).doubleValue(), 1), "", ""));
        }
    }

    private void ingestRows(List<String[]> rows) {
        double baseline = number("baseline", "records_per_second");
        double gateway = number("gateway", "rows_per_second");
        boolean clickhouse = options.store().equals("clickhouse");
        double freshnessTarget = clickhouse ? 2000 : 1000;
        rows.add(row("baseline", "plain KafkaProducer, records/s", fmt(baseline, 0), "", ""));
        rows.add(row("gateway", "NDJSON → validated → Avro → Kafka ack, rows/s", fmt(gateway, 0), "", ""));
        rows.add(row("gateway", "gateway/baseline ratio", fmt(gateway / baseline, 2), "≥ 0.5", met(gateway / baseline >= 0.5)));
        rows.add(row("sink", "rows/s into the store (backlog drained)", fmt(number("sink", "rows_per_second"), 0), "", ""));
        if (root.get("streams") instanceof Map<?, ?> streams && streams.get("events_per_second") instanceof Number rate) {
            rows.add(row("streams", "customer-analytics app, events/s (clearing the ingest phases' backlog)", fmt(rate.doubleValue(), 0), "", ""));
        }
        double p99 = number("freshness", "p99_ms");
        rows.add(row("freshness", "p50 ms (" + (long) number("freshness", "markers") + " markers at "
                + fmt(number("freshness", "load_rows_per_second"), 0) + " rows/s, " + ((Map<?, ?>) root.get("freshness")).get("load_basis") + ")",
                fmt(number("freshness", "p50_ms"), 0), "", ""));
        rows.add(row("freshness", "p99 ms", fmt(p99, 0), "≤ " + (long) freshnessTarget, met(p99 <= freshnessTarget)));
        rows.add(row("freshness", "max ms", fmt(number("freshness", "max_ms"), 0), "", ""));
    }

    private void queryRows(List<String[]> rows) {
        rows.add(row("queries", "data set load (direct AnalyticsStore.write), rows/s", fmt(number("queries", "load_rows_per_second"), 0), "", ""));
        String at = options.events() >= BenchOptions.DEFAULT_EVENTS ? "" : " (at 10M)";
        for (Map.Entry<String, Map<String, Object>> e : pipes().entrySet()) {
            Map<String, Object> p = e.getValue();
            boolean perCustomer = "per-customer".equals(p.get("scope"));
            double limit = perCustomer ? PER_CUSTOMER_P99_MS : WORKSPACE_P99_MS;
            double pipeP99 = ((Number) p.get("pipe_p99_ms")).doubleValue();
            double ratio = ((Number) p.get("ratio_p50")).doubleValue();
            rows.add(row("queries", e.getKey() + " p50 / p99 ms (" + p.get("calls") + " calls" + (p.containsKey("note") ? ", fewer: time budget" : "") + ")",
                    fmt(((Number) p.get("pipe_p50_ms")).doubleValue(), 1) + " / " + fmt(pipeP99, 1),
                    "p99 ≤ " + (long) limit + at, met(pipeP99 <= limit)));
            rows.add(row("queries", e.getKey() + " raw p50 / p99 ms; pipe/raw (p50)",
                    fmt(((Number) p.get("raw_p50_ms")).doubleValue(), 1) + " / " + fmt(((Number) p.get("raw_p99_ms")).doubleValue(), 1)
                            + "; " + fmt(ratio, 2), "≤ " + PIPE_RAW_RATIO, met(ratio <= PIPE_RAW_RATIO)));
        }
    }

    void printTable(PrintWriter out) {
        out.println();
        out.printf("| Phase | Metric | Value | Target | Met |%n|---|---|---|---|---|%n");
        for (String[] r : tableRows()) {
            out.printf("| %s | %s | %s | %s | %s |%n", (Object[]) r);
        }
        if (options.uploadOnly()) {
            out.printf(Locale.ROOT, "%nrun: %s, upload of %,d customers x %d metric dates, %d cores%n", options.store(), options.uploadCustomers(),
                    options.uploadDates(), Runtime.getRuntime().availableProcessors());
        } else {
            out.printf(Locale.ROOT, "%nrun: %s, %,d events over %,d customers, %,d records per ingest phase, upload of %,d customers x %d metric dates, %d cores%n",
                    options.store(), options.events(), options.customers(), options.ingestRecords(), options.uploadCustomers(), options.uploadDates(),
                    Runtime.getRuntime().availableProcessors());
            out.printf(Locale.ROOT, "gateway/baseline ratio: %.2f%n", number("gateway", "ratio_to_baseline"));
        }
        out.flush();
    }

    /** The files {@link #write} writes: the charts only when the ingest and query phases ran. */
    static List<String> files(BenchOptions options) {
        return options.uploadOnly() ? List.of("bench.json", "bench.md") : List.of("bench.json", "bench.md", "bench-throughput.png", "bench-queries.png");
    }

    /** Writes bench.json, bench.md, and (unless upload-only) bench-throughput.png and bench-queries.png into {@code dir}. */
    void write(Path dir) {
        try {
            Files.createDirectories(dir);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("bench.json").toFile(), root);
            StringBuilder md = new StringBuilder("| Phase | Metric | Value | Target | Met |\n|---|---|---|---|---|\n");
            for (String[] r : tableRows()) {
                md.append("| ").append(String.join(" | ", r)).append(" |\n");
            }
            Files.writeString(dir.resolve("bench.md"), md);
            if (options.uploadOnly()) {
                return;
            }

            CategoryChart throughput = new CategoryChartBuilder().width(900).height(500)
                    .title("Tributary bench (" + options.store() + "): throughput").yAxisTitle("rows/s").build();
            throughput.getStyler().setLegendVisible(false);
            throughput.addSeries("rows/s", List.of("baseline (KafkaProducer)", "gateway (HTTP NDJSON)", "sink (store)", "freshness load"),
                    List.of(number("baseline", "records_per_second"), number("gateway", "rows_per_second"),
                            number("sink", "rows_per_second"), number("freshness", "load_rows_per_second")));
            BitmapEncoder.saveBitmap(throughput, dir.resolve("bench-throughput.png").toString(), BitmapEncoder.BitmapFormat.PNG);

            CategoryChart queries = new CategoryChartBuilder().width(1100).height(550)
                    .title("Tributary bench (" + options.store() + ", " + options.events() + " events): pipe latency")
                    .yAxisTitle("ms").build();
            queries.getStyler().setXAxisLabelRotation(15);
            List<String> names = new ArrayList<>(pipes().keySet());
            for (String[] series : new String[][] {{"pipe p50", "pipe_p50_ms"}, {"pipe p99", "pipe_p99_ms"}, {"raw p50", "raw_p50_ms"},
                    {"raw p99", "raw_p99_ms"}}) {
                List<Double> values = names.stream().map(n -> ((Number) pipes().get(n).get(series[1])).doubleValue()).toList();
                queries.addSeries(series[0], names, values);
            }
            BitmapEncoder.saveBitmap(queries, dir.resolve("bench-queries.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results into " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The 1-minute load average (/proc/loadavg): other work on the machine skews every figure. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    void finish() {
        root.put("load_average_end", loadAverage());
    }

    private static String[] row(String... cells) {
        return cells;
    }

    private static String met(boolean ok) {
        return ok ? "yes" : "**no**";
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }
}
