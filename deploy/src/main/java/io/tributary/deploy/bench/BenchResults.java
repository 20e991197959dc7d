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
    /** A soak's heap-after-GC and RSS are flat when their least-squares slope stays below this, MiB per minute. */
    static final double SOAK_FLAT_MIB_PER_MINUTE = 2;
    /** The soak minutes left out of the fit (start-up: JIT, caches, buffers filling), when at least 3 remain. */
    static final int SOAK_WARM_UP_MINUTES = 2;
    /** A soak's p99 is stable when no fitted minute's p99 exceeds this multiple of their median. */
    static final double SOAK_P99_SPREAD = 2;

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
        if (options.soaking()) {
            run.put("soak_seconds", options.soak().toSeconds());
        }
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

    /** A figure one level down: {@code phase} → {@code group} → {@code key}. */
    @SuppressWarnings("unchecked")
    double number(String phase, String group, String key) {
        return ((Number) ((Map<String, Object>) ((Map<String, Object>) root.get(phase)).get(group)).get(key)).doubleValue();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> pipes() {
        return (Map<String, Map<String, Object>>) ((Map<String, Object>) root.get("queries")).get("pipes");
    }

    /** Rows of the markdown table: phase, metric, value, target, met. */
    List<String[]> tableRows() {
        List<String[]> rows = new ArrayList<>();
        if (options.soaking()) {
            throughputRows(rows);
            soakRows(rows);
        } else {
            if (!options.uploadOnly()) {
                throughputRows(rows);
                freshnessRows(rows);
            }
            uploadRows(rows);
            if (!options.uploadOnly()) {
                queryRows(rows);
            }
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

    private void throughputRows(List<String[]> rows) {
        double baseline = number("baseline", "records_per_second");
        double gateway = number("gateway", "rows_per_second");
        rows.add(row("baseline", "plain KafkaProducer, records/s", fmt(baseline, 0), "", ""));
        rows.add(row("gateway", "NDJSON → validated → Avro → Kafka ack, rows/s", fmt(gateway, 0), "", ""));
        rows.add(row("gateway", "gateway/baseline ratio", fmt(gateway / baseline, 2), "≥ 0.5", met(gateway / baseline >= 0.5)));
        rows.add(row("sink", "rows/s into the store (backlog drained)", fmt(number("sink", "rows_per_second"), 0), "", ""));
        if (root.get("streams") instanceof Map<?, ?> streams && streams.get("events_per_second") instanceof Number rate) {
            rows.add(row("streams", "customer-analytics app, events/s (clearing the ingest phases' backlog)", fmt(rate.doubleValue(), 0), "", ""));
        }
    }

    private void freshnessRows(List<String[]> rows) {
        double freshnessTarget = options.store().equals("clickhouse") ? 2000 : 1000;
        double p99 = number("freshness", "p99_ms");
        rows.add(row("freshness", "p50 ms (" + (long) number("freshness", "markers") + " markers at "
                + fmt(number("freshness", "load_rows_per_second"), 0) + " rows/s, " + ((Map<?, ?>) root.get("freshness")).get("load_basis") + ")",
                fmt(number("freshness", "p50_ms"), 0), "", ""));
        rows.add(row("freshness", "p99 ms", fmt(p99, 0), "≤ " + (long) freshnessTarget, met(p99 <= freshnessTarget)));
        rows.add(row("freshness", "max ms", fmt(number("freshness", "max_ms"), 0), "", ""));
    }

    @SuppressWarnings("unchecked")
    private void soakRows(List<String[]> rows) {
        Map<String, Object> soak = (Map<String, Object>) root.get("soak");
        Map<String, Object> v = (Map<String, Object>) soak.get("verdict");
        String fitted = "minutes " + v.get("fitted_from_minute") + "–" + v.get("fitted_to_minute");
        rows.add(row("soak", "load, rows/s (" + soak.get("load_basis") + ", " + soak.get("seconds") + " s)",
                fmt(number("soak", "load_rows_per_second"), 0), "", ""));
        rows.add(row("soak", "heap after full GC, slope MiB/min (" + fitted + ")", fmt(number("soak", "verdict", "heap_slope_mib_per_minute"), 2),
                "< " + fmt(SOAK_FLAT_MIB_PER_MINUTE, 0), met(Boolean.TRUE.equals(v.get("heap_flat")))));
        rows.add(row("soak", "RSS, slope MiB/min (" + fitted + ")", fmt(number("soak", "verdict", "rss_slope_mib_per_minute"), 2),
                "< " + fmt(SOAK_FLAT_MIB_PER_MINUTE, 0), met(Boolean.TRUE.equals(v.get("rss_flat")))));
        if (Double.isFinite(number("soak", "verdict", "store_slope_mib_per_minute"))) {
            rows.add(row("soak", "RSS outside DuckDB's buffer pool, slope MiB/min (" + fitted + "; the pool's: "
                    + fmt(number("soak", "verdict", "store_slope_mib_per_minute"), 2) + ")",
                    fmt(number("soak", "verdict", "rss_outside_store_slope_mib_per_minute"), 2), "< " + fmt(SOAK_FLAT_MIB_PER_MINUTE, 0),
                    met(Boolean.TRUE.equals(v.get("rss_outside_store_flat")))));
        }
        rows.add(row("soak", "marker p99 ms per minute: median / max (" + fitted + ")", fmt(number("soak", "verdict", "p99_median_ms"), 0)
                + " / " + fmt(number("soak", "verdict", "p99_max_ms"), 0), "max ≤ " + fmt(SOAK_P99_SPREAD, 0) + "× median",
                met(Boolean.TRUE.equals(v.get("p99_stable")))));
    }

    /** The soak's per-minute figures as a markdown table. */
    @SuppressWarnings("unchecked")
    String soakMinutesTable() {
        StringBuilder md = new StringBuilder("| Minute | rows/s | markers | p50 ms | p99 ms | heap after GC MiB | RSS MiB | DuckDB pool MiB | lag |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> m : (List<Map<String, Object>>) ((Map<String, Object>) root.get("soak")).get("minutes")) {
            md.append(String.format(Locale.ROOT, "| %d | %s | %d | %s | %s | %s | %s | %s | %,d |%n", (Integer) m.get("minute"),
                    fmt((Double) m.get("rows_per_second"), 0), (Integer) m.get("markers"), fmt((Double) m.get("p50_ms"), 0),
                    fmt((Double) m.get("p99_ms"), 0), fmt((Double) m.get("heap_after_gc_mib"), 1), fmt((Double) m.get("rss_mib"), 1),
                    fmt((Double) m.get("store_mib"), 1), (Long) m.get("lag_records")));
        }
        return md.toString();
    }

    /**
     * The soak's verdict from its minutes: least-squares slopes of heap-after-GC and RSS in MiB per
     * minute over the minutes after the first {@value #SOAK_WARM_UP_MINUTES} (all minutes when fewer
     * than 3 would remain), flat when below {@value #SOAK_FLAT_MIB_PER_MINUTE}; p99 per minute stable
     * when no fitted minute's p99 exceeds {@value #SOAK_P99_SPREAD} times their median.
     */
    static Map<String, Object> soakVerdict(List<Map<String, Object>> minutes) {
        int skip = minutes.size() - SOAK_WARM_UP_MINUTES >= 3 ? SOAK_WARM_UP_MINUTES : 0;
        List<Map<String, Object>> fitted = minutes.subList(skip, minutes.size());
        double heap = slope(fitted, "heap_after_gc_mib");
        double rss = slope(fitted, "rss_mib");
        double outside = fitted.stream().allMatch(m -> m.containsKey("rss_outside_store_mib")) ? slope(fitted, "rss_outside_store_mib") : rss;
        double store = fitted.stream().allMatch(m -> m.containsKey("store_mib")) ? slope(fitted, "store_mib") : Double.NaN;
        double[] p99 = fitted.stream().mapToDouble(m -> ((Number) m.get("p99_ms")).doubleValue()).filter(Double::isFinite).sorted().toArray();
        double median = p99.length == 0 ? Double.NaN : p99[(p99.length - 1) / 2];
        double max = p99.length == 0 ? Double.NaN : p99[p99.length - 1];
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("fitted_from_minute", skip + 1);
        v.put("fitted_to_minute", minutes.size());
        v.put("warm_up_excluded", skip > 0);
        v.put("threshold_mib_per_minute", SOAK_FLAT_MIB_PER_MINUTE);
        v.put("heap_slope_mib_per_minute", heap);
        v.put("heap_flat", heap < SOAK_FLAT_MIB_PER_MINUTE);
        v.put("rss_slope_mib_per_minute", rss);
        v.put("rss_flat", rss < SOAK_FLAT_MIB_PER_MINUTE);
        v.put("store_slope_mib_per_minute", store);
        v.put("rss_outside_store_slope_mib_per_minute", outside);
        v.put("rss_outside_store_flat", outside < SOAK_FLAT_MIB_PER_MINUTE);
        v.put("p99_median_ms", median);
        v.put("p99_max_ms", max);
        v.put("p99_slope_ms_per_minute", slope(fitted, "p99_ms"));
        v.put("p99_stable", p99.length > 0 && max <= SOAK_P99_SPREAD * median);
        // DuckDB's buffer pool fills up to --duckdb-memory-mb as the database grows: a bounded cache, not a leak
        v.put("flat_no_leak", heap < SOAK_FLAT_MIB_PER_MINUTE && (rss < SOAK_FLAT_MIB_PER_MINUTE || outside < SOAK_FLAT_MIB_PER_MINUTE));
        return v;
    }

    /** The verdict as printed lines. */
    static List<String> soakVerdictLines(Map<String, Object> v) {
        String fitted = "minutes " + v.get("fitted_from_minute") + "-" + v.get("fitted_to_minute")
                + (Boolean.TRUE.equals(v.get("warm_up_excluded")) ? "" : ", warm-up not excluded: too few minutes");
        String threshold = fmt((Double) v.get("threshold_mib_per_minute"), 0);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "soak: heap after GC slope %+.2f MiB/min (%s): %s (flat = below %s MiB/min)",
                (Double) v.get("heap_slope_mib_per_minute"), fitted, Boolean.TRUE.equals(v.get("heap_flat")) ? "flat" : "GROWING", threshold));
        lines.add(String.format(Locale.ROOT, "soak: RSS slope %+.2f MiB/min (%s): %s", (Double) v.get("rss_slope_mib_per_minute"), fitted,
                Boolean.TRUE.equals(v.get("rss_flat")) ? "flat" : "GROWING"));
        if (Double.isFinite((Double) v.get("store_slope_mib_per_minute"))) {
            lines.add(String.format(Locale.ROOT, "soak: RSS outside DuckDB's buffer pool slope %+.2f MiB/min, the pool's %+.2f MiB/min (bounded by --duckdb-memory-mb): %s",
                    (Double) v.get("rss_outside_store_slope_mib_per_minute"), (Double) v.get("store_slope_mib_per_minute"),
                    Boolean.TRUE.equals(v.get("rss_outside_store_flat")) ? "flat" : "GROWING"));
        }
        lines.add(String.format(Locale.ROOT, "soak: marker p99 per minute median %.0f ms, max %.0f ms, slope %+.1f ms/min: %s (stable = max <= %.0fx median)",
                (Double) v.get("p99_median_ms"), (Double) v.get("p99_max_ms"), (Double) v.get("p99_slope_ms_per_minute"),
                Boolean.TRUE.equals(v.get("p99_stable")) ? "stable" : "UNSTABLE", SOAK_P99_SPREAD));
        lines.add("soak verdict: " + (Boolean.TRUE.equals(v.get("flat_no_leak")) ? "flat, no leak" : "memory grows: look for a leak"));
        return lines;
    }

    /** The least-squares slope of {@code key} over the minutes (per minute); NaN with fewer than 2 finite points. */
    static double slope(List<Map<String, Object>> minutes, String key) {
        double n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (Map<String, Object> m : minutes) {
            double x = ((Number) m.get("minute")).doubleValue();
            double y = ((Number) m.get(key)).doubleValue();
            if (Double.isFinite(y)) {
                n++;
                sx += x;
                sy += y;
                sxx += x * x;
                sxy += x * y;
            }
        }
        double d = n * sxx - sx * sx;
        return n < 2 || d == 0 ? Double.NaN : (n * sxy - sx * sy) / d;
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
        if (options.soaking()) {
            out.printf("%n%s", soakMinutesTable());
            out.printf(Locale.ROOT, "%nrun: %s, soak of %d s, %,d records per ingest phase, %d cores%n", options.store(), options.soak().toSeconds(),
                    options.ingestRecords(), Runtime.getRuntime().availableProcessors());
        } else if (options.uploadOnly()) {
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

    /** The files {@link #write} writes: the charts only when the ingest and query phases ran (not in a soak). */
    static List<String> files(BenchOptions options) {
        return options.uploadOnly() || options.soaking() ? List.of("bench.json", "bench.md") : List.of("bench.json", "bench.md", "bench-throughput.png", "bench-queries.png");
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
            if (options.soaking()) {
                md.append("\n").append(soakMinutesTable());
            }
            Files.writeString(dir.resolve("bench.md"), md);
            if (options.uploadOnly() || options.soaking()) {
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

    static String fmt(double v, int decimals) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }
}
