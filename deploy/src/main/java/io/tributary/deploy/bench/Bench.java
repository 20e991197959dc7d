package io.tributary.deploy.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.deploy.Role;
import io.tributary.deploy.TributaryNode;
import io.tributary.gateway.events.ConvertedRow;
import io.tributary.gateway.events.RowConverter;
import io.tributary.platform.config.Setting;
import io.tributary.platform.config.SettingValues;
import io.tributary.platform.config.TributaryConfig;
import io.tributary.platform.kafka.ConsumerGroups;
import io.tributary.platform.kafka.KafkaClients;
import io.tributary.platform.store.AnalyticsStore;
import io.tributary.platform.store.BoundQuery;
import io.tributary.platform.store.QueryParam;
import io.tributary.platform.store.StoreDialect;
import io.tributary.platform.store.StoreTable;
import io.tributary.platform.store.StoreTables;
import io.tributary.query.pipes.PipeArguments;
import io.tributary.query.pipes.PipeCatalog;
import io.tributary.query.pipes.PipeDefinition;
import io.tributary.query.pipes.PipeTemplate;
import io.tributary.schemas.Datasources;
import io.tributary.schemas.Topics;
import io.tributary.schemas.registry.HttpSchemaRegistryClient;
import io.tributary.schemas.serde.AvroSerializer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code tributary bench}: every phase in one run on one machine, against an all-in-one node this
 * process starts in a temp data dir (the load generators run in the same process, on the same
 * cores). See the README's Performance section for what each phase measures.
 */
public final class Bench {
    static final String WORKSPACE = "default"; // the admin token's workspace
    static final int GATEWAY_CLIENTS = 4;
    static final int LINES_PER_REQUEST = 5_000;
    static final int MARKER_PROBES = 2;
    /** Calls of each pipe (and its raw SQL) before measuring: JIT, prepared plans, first reads of index and column blocks. */
    static final int WARM_UP_CALLS = 10;
    static final long MARKER_POLL_MS = 25;
    static final long UPLOAD_POLL_MS = 100;
    static final String UPLOAD_KEY_HEADER = "customerscore-key";
    static final String WARM_UP_WORKSPACE = "bench-upload-warm-up";
    static final List<String> PER_CUSTOMER_PIPES = List.of("customer_activity", "customer_purchase_history");
    static final List<String> PIPES = List.of("customer_activity", "customer_purchase_history", "customer_segmentation_suggestions",
            "customer_behavioral_analysis", "segment_customers", "segment_metrics");

    private final BenchOptions options;
    private final PrintWriter out;
    private final BenchResults results;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    private final String runId = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
    private final String token = "trb_bench_" + Long.toHexString(new Random().nextLong()) + Long.toHexString(System.nanoTime());
    private volatile Supplier<String> progress = () -> "starting";
    private TributaryNode node;
    private String base;

    private Bench(BenchOptions options, PrintWriter out) {
        this.options = options;
        this.out = out;
        this.results = new BenchResults(options);
    }

    /** Runs every phase, prints progress and the table, writes the files; returns the results. */
    public static BenchResults run(BenchOptions options, PrintWriter out) throws Exception {
        System.setProperty("java.awt.headless", "true");
        return new Bench(options, out).runAll();
    }

    private BenchResults runAll() throws Exception {
        Path dataDir = Files.createTempDirectory("tributary-bench-");
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-progress");
            t.setDaemon(true);
            return t;
        });
        long started = System.nanoTime();
        ticker.scheduleAtFixedRate(() -> {
            out.printf("  [%5.1f s] %s%n", (System.nanoTime() - started) / 1e9, progress.get());
            out.flush();
        }, 3, 3, TimeUnit.SECONDS);
        try {
            if (options.uploadOnly()) {
                out.printf("tributary bench --upload: store %s, %,d customers x %d metric dates, %d cores, max heap %d MiB%n",
                        options.store(), options.uploadCustomers(), options.uploadDates(),
                        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
            } else {
                out.printf("tributary bench: store %s, %,d query events over %,d customers, %,d records per ingest phase, upload of %,d customers x %d metric dates, %d cores, max heap %d MiB%n",
                        options.store(), options.events(), options.customers(), options.ingestRecords(), options.uploadCustomers(),
                        options.uploadDates(), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
            }
            out.flush();
            startNode(dataDir);
            if (options.soaking()) {
                baselineAndSink();
                gateway();
                soak();
            } else if (!options.uploadOnly()) {
                baselineAndSink();
                gateway();
                freshness();
            }
            if (!options.soaking()) {
                upload(dataDir);
            }
            if (!options.uploadOnly() && !options.soaking()) {
                queriesWithProcessorsPaused();
            }
            memory();
            results.finish();
        } finally {
            ticker.shutdownNow();
            if (node != null) {
                node.close();
            }
            deleteRecursively(dataDir);
        }
        results.printTable(out);
        results.write(options.out());
        out.printf("results written to %s (%s)%n", options.out().toAbsolutePath(), String.join(", ", BenchResults.files(options)));
        out.flush();
        return results;
    }

    private void startNode(Path dataDir) {
        phase("node: starting an all-in-one node in " + dataDir);
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        flags.put(Setting.DATA_DIR, dataDir.toString());
        flags.put(Setting.HTTP_HOST, "127.0.0.1");
        flags.put(Setting.HTTP_PORT, "0");
        flags.put(Setting.KAFKA_PORT, "0");
        flags.put(Setting.ADMIN_TOKEN, token);
        flags.put(Setting.STORE, options.store());
        // room for the upload phase's body, whatever its size (an upload's limits, not the bench's subject)
        flags.put(Setting.UPLOAD_MAX_CUSTOMERS, Integer.toString(Math.max(BenchOptions.DEFAULT_UPLOAD_CUSTOMERS, options.uploadCustomers())));
        flags.put(Setting.UPLOAD_MAX_BYTES, Long.toString(Math.max(256L << 20, (long) options.uploadCustomers() * (400 + 100L * options.uploadDates()))));
        if (options.store().equals("clickhouse")) {
            flags.put(Setting.CLICKHOUSE_URL, options.clickhouseUrl());
            flags.put(Setting.CLICKHOUSE_DATABASE, "tributary_bench");
        }
        TributaryConfig config = TributaryConfig.from(SettingValues.resolve(flags, Map.of()));
        long t0 = System.nanoTime();
        node = TributaryNode.start(config, EnumSet.allOf(Role.class), new PrintWriter(new StringWriter()), false);
        base = "http://127.0.0.1:" + node.httpPort();
        if (options.store().equals("clickhouse")) {
            for (StoreTable table : StoreTables.ALL) {
                store().truncate(table); // database tributary_bench: earlier runs' rows would skew counts and queries
            }
        }
        results.put("node", "start_seconds", (System.nanoTime() - t0) / 1e9);
        phase("node: up in %.1f s at %s".formatted((System.nanoTime() - t0) / 1e9, base));
    }

    // ---------------------------------------------------------------- baseline + sink

    private void baselineAndSink() throws Exception {
        long n = options.ingestRecords();
        EventLines lines = new EventLines(runId, "icust-", BenchOptions.CUSTOMERS, LINES_PER_REQUEST, 4, 42);
        byte[] idPrefix = lines.idPrefix().getBytes(StandardCharsets.US_ASCII);
        // The gateway's own conversion and serializer, so the records are byte for byte the gateway's
        RowConverter converter = RowConverter.forDatasource(Datasources.CUSTOMER_EVENTS, new JsonFactory(), 1 << 20);
        AvroSerializer<GenericContainer> serializer = new AvroSerializer<>(
                HttpSchemaRegistryClient.builder(base + TributaryNode.REGISTRY_PATH).bearerToken(token).build(), false);
        List<String> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        List<Integer> idOffsets = new ArrayList<>();
        long bytes = 0;
        for (int t = 0; t < 4; t++) {
            byte[] body = lines.template(t).bytes();
            int start = 0;
            for (int i = 0; i <= body.length; i++) {
                if (i == body.length || body[i] == '\n') {
                    if (i > start) {
                        ConvertedRow row = converter.convert(body, start, i - start, WORKSPACE, Instant.now());
                        ConvertedRow.Valid valid = (ConvertedRow.Valid) row;
                        byte[] value = serializer.serialize(Topics.CUSTOMER_EVENTS, valid.record());
                        keys.add(valid.key());
                        values.add(value);
                        idOffsets.add(EventLines.indexOf(value, idPrefix) + idPrefix.length);
                        bytes += value.length;
                    }
                    start = i + 1;
                }
            }
        }
        double avgBytes = (double) bytes / values.size();
        results.put("baseline", "record_bytes_avg", Math.round(avgBytes * 10) / 10.0);

        KafkaClients kafka = new KafkaClients(node.kafkaBootstrap());
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long storeBefore = storeEventCount();
        StoreWatch watch = new StoreWatch(storeBefore);
        watch.start();
        long t0 = System.nanoTime();
        phase("baseline: a plain KafkaProducer (acks=all, idempotent, the gateway's producer settings) sends %,d pre-serialized records of %.0f B (the gateway's Avro bytes) to %s"
                .formatted(n, avgBytes, Topics.CUSTOMER_EVENTS));
        progress = () -> "baseline: %,d / %,d records acknowledged; store has %,d".formatted(acked.get(), n, watch.latest - storeBefore);
        try (KafkaProducer<String, byte[]> producer = kafka.producer("bench-baseline", new StringSerializer(), new ByteArraySerializer())) {
            for (long seq = 0; seq < n; seq++) {
                int t = (int) (seq % values.size());
                byte[] value = values.get(t).clone();
                EventLines.writeDigits(value, idOffsets.get(t), seq);
                producer.send(new ProducerRecord<>(Topics.CUSTOMER_EVENTS, keys.get(t), value), (md, e) -> {
                    if (e == null) {
                        acked.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double rate = acked.get() / seconds;
        results.put("baseline", "records", acked.get());
        results.put("baseline", "failed", failed.get());
        results.put("baseline", "seconds", seconds);
        results.put("baseline", "records_per_second", rate);
        phase("baseline: %,.0f records/s (%,d in %.1f s)".formatted(rate, acked.get(), seconds));

        // sink: the baseline filled the topic faster than the sink drains it; time until every row is in the store
        progress = () -> "sink: %,d / %,d rows in the store".formatted(watch.latest - storeBefore, n);
        long producedAt = System.nanoTime();
        long doneAt = watch.awaitCount(storeBefore + n, Duration.ofMinutes(15));
        watch.stop();
        double sinkSeconds = (doneAt - t0) / 1e9;
        results.put("sink", "rows", n);
        results.put("sink", "seconds_from_first_send", sinkSeconds);
        results.put("sink", "drain_seconds_after_producer_done", Math.max(0, (doneAt - producedAt) / 1e9));
        results.put("sink", "rows_per_second", n / sinkSeconds);
        results.put("sink", "peak_rows_per_second_1s", watch.peakRate);
        phase("sink: %,.0f rows/s (all %,d rows in the store %.1f s after the first send; peak %,.0f rows/s over 1 s)"
                .formatted(n / sinkSeconds, n, sinkSeconds, watch.peakRate));
        awaitPipelineDrained("after baseline");
    }

    // ---------------------------------------------------------------- gateway

    private void gateway() throws Exception {
        long n = options.ingestRecords();
        EventLines lines = new EventLines(runId + "g", "icust-", BenchOptions.CUSTOMERS, LINES_PER_REQUEST, 4, 43);
        AtomicLong next = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        Latencies requestLatency = new Latencies();
        URI uri = URI.create(base + "/v0/events?name=customer_events");
        phase("gateway: %d concurrent clients POST NDJSON bodies of %,d lines to /v0/events (validated -> Avro -> Kafka ack), %,d rows"
                .formatted(GATEWAY_CLIENTS, LINES_PER_REQUEST, n));
        progress = () -> "gateway: %,d / %,d rows accepted".formatted(accepted.get(), n);
        ExecutorService clients = Executors.newFixedThreadPool(GATEWAY_CLIENTS);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < GATEWAY_CLIENTS; c++) {
                futures.add(clients.submit(() -> {
                    while (true) {
                        long first = next.getAndAdd(LINES_PER_REQUEST);
                        if (first >= n) {
                            return null;
                        }
                        EventLines.Template template = lines.template(first / LINES_PER_REQUEST);
                        byte[] body = template.fill(first, (int) Math.min(LINES_PER_REQUEST, n - first));
                        long r0 = System.nanoTime();
                        JsonNode answer = post(uri, body, 202);
                        requestLatency.add(System.nanoTime() - r0);
                        requests.incrementAndGet();
                        accepted.addAndGet(answer.path("successful_rows").asLong());
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            clients.shutdownNow();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double rate = accepted.get() / seconds;
        double baseline = results.number("baseline", "records_per_second");
        results.put("gateway", "rows", accepted.get());
        results.put("gateway", "requests", requests.get());
        results.put("gateway", "clients", GATEWAY_CLIENTS);
        results.put("gateway", "lines_per_request", LINES_PER_REQUEST);
        results.put("gateway", "seconds", seconds);
        results.put("gateway", "rows_per_second", rate);
        results.put("gateway", "request_p50_ms", requestLatency.percentileMs(0.5));
        results.put("gateway", "request_p99_ms", requestLatency.percentileMs(0.99));
        results.put("gateway", "ratio_to_baseline", rate / baseline);
        phase("gateway: %,.0f rows/s (%,d rows in %.1f s; request p50 %.0f ms)".formatted(rate, accepted.get(), seconds,
                requestLatency.percentileMs(0.5)));
        out.printf(Locale.ROOT, "gateway/baseline ratio: %.2f%n", rate / baseline);
        out.flush();
        awaitPipelineDrained("after gateway");
    }

    // ---------------------------------------------------------------- freshness

    /**
     * Freshness is only defined at a load the pipeline sustains, measured from an idle pipeline: the
     * phase first waits until every consumer group has caught up with what the ingest phases left
     * (which also measures the customer-analytics stream app's rate while it drains), then loads at
     * half the lowest of the gateway, sink and stream maxima.
     */
    private void freshness() throws Exception {
        Map.Entry<String, Double> lowest = lowestMaximum("freshness");
        double target = lowest.getValue() / 2;
        int batch = 1_000;
        EventLines lines = new EventLines(runId + "f", "icust-", BenchOptions.CUSTOMERS, batch, 4, 44);
        AtomicLong sent = new AtomicLong();
        Latencies freshness = new Latencies();
        long duration = TimeUnit.SECONDS.toNanos(options.freshnessSeconds());
        long t0 = System.nanoTime();
        phase("freshness: steady load at half the %s maximum (%,.0f rows/s, bodies of %,d lines) for %d s; marker events timed from POST to first appearance in customer_activity.json"
                .formatted(lowest.getKey(), target, batch, options.freshnessSeconds()));
        AtomicLong timedOut = new AtomicLong();
        progress = () -> "freshness: %,d rows sent (target %,.0f rows/s), %d markers seen, p50 so far %.0f ms"
                .formatted(sent.get(), target, freshness.count(), freshness.percentileMs(0.5));
        ExecutorService load = Executors.newFixedThreadPool(2 + MARKER_PROBES);
        try {
            List<Future<?>> futures = steadyLoad(load, lines, batch, target, sent, t0, duration, freshness::add, timedOut);
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            load.shutdownNow();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        results.put("freshness", "load_basis", "half the " + lowest.getKey() + " maximum");
        results.put("freshness", "load_target_rows_per_second", target);
        results.put("freshness", "markers_not_visible_within_60_s", timedOut.get());
        results.put("freshness", "load_rows_per_second", sent.get() / seconds);
        results.put("freshness", "markers", freshness.count());
        results.put("freshness", "p50_ms", freshness.percentileMs(0.5));
        results.put("freshness", "p99_ms", freshness.percentileMs(0.99));
        results.put("freshness", "max_ms", freshness.maxMs());
        phase("freshness: %d markers, p50 %.0f ms, p99 %.0f ms, max %.0f ms (load %,.0f rows/s)".formatted(freshness.count(),
                freshness.percentileMs(0.5), freshness.percentileMs(0.99), freshness.maxMs(), sent.get() / seconds));
        awaitPipelineDrained("after freshness");
    }

    /**
     * The lowest of the gateway, sink and customer-analytics app maxima (after waiting for an idle
     * pipeline, which measures the app's rate): the load the pipeline sustains is a share of it.
     * {@code phase} names the phase that waits, in the progress lines and bench.json.
     */
    private Map.Entry<String, Double> lowestMaximum(String phase) throws Exception {
        double streamsMax = drainMeasuringStreams(phase);
        Map<String, Double> maxima = new LinkedHashMap<>();
        maxima.put("gateway", results.number("gateway", "rows_per_second"));
        maxima.put("sink", results.number("sink", "rows_per_second"));
        if (Double.isFinite(streamsMax)) {
            maxima.put("stream processors", streamsMax);
        }
        return maxima.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow();
    }

    /**
     * Submits to {@code load} (2 + {@value #MARKER_PROBES} threads) two clients posting bodies of
     * {@code batch} {@code lines} at {@code target} rows/s and {@value #MARKER_PROBES} probes each posting one
     * marker event at a time and polling customer_activity.json every {@value #MARKER_POLL_MS} ms
     * until it holds it, handing each marker's nanoseconds to {@code marker} (one not visible within
     * 60 s counts as 60 s and in {@code timedOut}); all until {@code duration} after {@code t0}.
     */
    private List<Future<?>> steadyLoad(ExecutorService load, EventLines lines, int batch, double target, AtomicLong sent, long t0, long duration,
                                       LongConsumer marker, AtomicLong timedOut) {
        URI uri = URI.create(base + "/v0/events?name=customer_events");
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            futures.add(load.submit(() -> {
                while (System.nanoTime() - t0 < duration) {
                    double due = target * (System.nanoTime() - t0) / 1e9;
                    if (sent.get() + batch > due) {
                        Thread.sleep(2);
                        continue;
                    }
                    long first = sent.getAndAdd(batch);
                    post(uri, lines.template(first / batch).fill(first), 202);
                }
                return null;
            }));
        }
        // several probes, each posting one marker at a time, so that p99 rests on more than a handful of markers
        for (int probe = 0; probe < MARKER_PROBES; probe++) {
            int p = probe;
            futures.add(load.submit(() -> {
                Random random = new Random(7 + p);
                int k = 0;
                Thread.sleep(500 + 100L * p);
                while (System.nanoTime() - t0 < duration) {
                    String customer = "mark-" + runId + "-" + p + "-" + k;
                    StringBuilder line = new StringBuilder("{\"event_id\":\"m-" + runId + "-" + p + "-" + k + "\",");
                    EventLines.appendFields(line, customer, random);
                    line.append("}\n");
                    URI pipe = URI.create(base + "/v0/pipes/customer_activity.json?limit=1&customer_id=" + customer + "&token=" + token);
                    long m0 = System.nanoTime();
                    post(uri, line.toString().getBytes(StandardCharsets.UTF_8), 202);
                    while (true) {
                        JsonNode answer = get(pipe);
                        if (answer.path("rows").asInt() > 0) {
                            marker.accept(System.nanoTime() - m0);
                            break;
                        }
                        if (System.nanoTime() - m0 > TimeUnit.SECONDS.toNanos(60)) {
                            // counted as 60 s (a lower bound) rather than ending the run
                            marker.accept(System.nanoTime() - m0);
                            timedOut.incrementAndGet();
                            break;
                        }
                        Thread.sleep(MARKER_POLL_MS);
                    }
                    k++;
                    Thread.sleep(100 + random.nextInt(100));
                }
                return null;
            }));
        }
        return futures;
    }

    // ---------------------------------------------------------------- soak

    /**
     * {@code --soak}: load at {@value BenchOptions#SOAK_LOAD_PERCENT}% of the lowest maximum (the same
     * load generators and marker probes as the freshness phase) for the soak duration; at the end of
     * every minute one line: rows/s in that minute, marker p50/p99 of the markers that completed in
     * it, heap used after a forced full GC, RSS, consumer-group lag. Then the verdict (see
     * {@link BenchResults#soakVerdict}).
     */
    private void soak() throws Exception {
        Map.Entry<String, Double> lowest = lowestMaximum("soak");
        double target = lowest.getValue() * BenchOptions.SOAK_LOAD_PERCENT / 100;
        int batch = 1_000;
        EventLines lines = new EventLines(runId + "s", "icust-", BenchOptions.CUSTOMERS, batch, 4, 45);
        AtomicLong sent = new AtomicLong();
        AtomicLong timedOut = new AtomicLong();
        AtomicReference<Latencies> minute = new AtomicReference<>(new Latencies());
        long duration = options.soak().toNanos();
        results.put("soak", "load_basis", BenchOptions.SOAK_LOAD_PERCENT + "% of the " + lowest.getKey() + " maximum");
        results.put("soak", "load_target_rows_per_second", target);
        results.put("soak", "seconds", options.soak().toSeconds());
        phase("soak: %d%% of the %s maximum (%,.0f rows/s, bodies of %,d lines) for %s; every minute: rows/s, marker p99, heap after a full GC, RSS, lag"
                .formatted(BenchOptions.SOAK_LOAD_PERCENT, lowest.getKey(), target, batch, options.soak().toString().substring(2).toLowerCase(Locale.ROOT)));
        out.printf("%6s %10s %8s %8s %8s %14s %8s %10s %10s%n", "minute", "rows/s", "markers", "p50 ms", "p99 ms", "heap-GC MiB", "RSS MiB", "store MiB", "lag");
        out.flush();
        List<Map<String, Object>> minutes = new ArrayList<>();
        long t0 = System.nanoTime();
        progress = () -> "soak: %,d rows sent (target %,.0f rows/s), %.0f s of %d".formatted(sent.get(), target, (System.nanoTime() - t0) / 1e9,
                options.soak().toSeconds());
        ExecutorService load = Executors.newFixedThreadPool(2 + MARKER_PROBES);
        try (Admin admin = new KafkaClients(node.kafkaBootstrap()).admin("bench-soak-lag")) {
            List<Future<?>> futures = steadyLoad(load, lines, batch, target, sent, t0, duration, n -> minute.get().add(n), timedOut);
            long sentBefore = 0;
            long from = t0;
            for (int m = 1; from - t0 < duration; m++) {
                long until = Math.min(t0 + duration, t0 + TimeUnit.MINUTES.toNanos(m));
                TimeUnit.NANOSECONDS.sleep(Math.max(0, until - System.nanoTime()));
                Latencies markers = minute.getAndSet(new Latencies());
                long sentNow = sent.get();
                double rate = (sentNow - sentBefore) / ((System.nanoTime() - from) / 1e9);
                System.gc();
                double heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
                double rss = rssBytes() / 1048576.0;
                double storeMemory = storeMemoryMib();
                long lag = PipelineLag.total(admin);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("minute", m);
                row.put("rows_per_second", rate);
                row.put("markers", markers.count());
                row.put("p50_ms", markers.percentileMs(0.5));
                row.put("p99_ms", markers.percentileMs(0.99));
                row.put("heap_after_gc_mib", heap);
                row.put("rss_mib", rss);
                row.put("store_mib", storeMemory);
                row.put("rss_outside_store_mib", Double.isNaN(storeMemory) ? rss : rss - storeMemory);
                row.put("lag_records", lag);
                minutes.add(row);
                out.printf(Locale.ROOT, "%6d %,10.0f %8d %8.0f %8.0f %14.1f %8.1f %10s %,10d%n", m, rate, markers.count(), markers.percentileMs(0.5),
                        markers.percentileMs(0.99), heap, rss, BenchResults.fmt(storeMemory, 1), lag);
                out.flush();
                sentBefore = sentNow;
                from = until;
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            load.shutdownNow();
        }
        results.put("soak", "load_rows_per_second", sent.get() / ((System.nanoTime() - t0) / 1e9));
        results.put("soak", "markers_not_visible_within_60_s", timedOut.get());
        results.put("soak", "minutes", minutes);
        Map<String, Object> verdict = BenchResults.soakVerdict(minutes);
        results.put("soak", "verdict", verdict);
        for (String line : BenchResults.soakVerdictLines(verdict)) {
            phase(line);
        }
        awaitPipelineDrained("after soak");
    }

    // ---------------------------------------------------------------- upload

    /**
     * Seed 004's bulk upload (see {@link #uploadOnce}), after a warm-up upload of a tenth of the size
     * into another workspace unless the options say otherwise.
     */
    private void upload(Path dataDir) throws Exception {
        if (options.uploadWarmUp()) {
            // JIT: a first upload runs the parser, the encoder and the scorer cold, and the compiler competes for the two cores
            int warmCustomers = Math.max(100, options.uploadCustomers() / 10);
            String admin = adminJson(token, "POST", "/v0/tokens", "{\"name\":\"bench-upload-warm-up\",\"scopes\":[\"admin\"],\"workspace_id\":\""
                    + WARM_UP_WORKSPACE + "\"}", 201).path("token").asText();
            awaitTokenKnown(admin);
            Map<String, Object> warm = uploadOnce(dataDir, WARM_UP_WORKSPACE, admin, warmCustomers, options.uploadDates(), false);
            results.put("upload", "warm_up", warm);
            phase(String.format(Locale.ROOT, "upload: warm-up (JIT, not the figure): %,d customers x %d metrics to workspace %s, 200 after %.1f s, "
                    + "all scores queryable %.1f s after the 200", warmCustomers, options.uploadDates(), WARM_UP_WORKSPACE,
                    (Double) warm.get("seconds_to_200"), (Double) warm.get("scores_queryable_seconds_after_200")));
            awaitPipelineDrained("after the warm-up upload");
        }
        uploadOnce(dataDir, WORKSPACE, token, options.uploadCustomers(), options.uploadDates(), true).forEach((k, v) -> results.put("upload", k, v));
        results.put("upload", "target_seconds", BenchOptions.UPLOAD_TARGET_SECONDS);
        results.put("upload", "at_acceptance_size", options.uploadAtAcceptanceSize());
        results.put("upload", "after_warm_up", options.uploadWarmUp());
        awaitPipelineDrained("after upload");
    }

    /**
     * One upload into {@code workspace} (administered with {@code admin}): defines the metrics,
     * attributes, members and scoring, issues a customers:upload key, POSTs a body of
     * {@code customers} × {@code dates} written to a file first (so the node's heap holds no copy of
     * it), times the 200, then, from the 200, the time until every customer's score is queryable (the
     * store holds a score row for each, sampled every {@value #UPLOAD_POLL_MS} ms, confirmed by the
     * customer_health pipe listing them all), until the upload's notification is listed, and until
     * every metric row is stored. Prints the figures when {@code printed}; returns them.
     */
    private Map<String, Object> uploadOnce(Path dataDir, String workspace, String admin, int customers, int dates, boolean printed)
            throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        Consumer<String> say = printed ? this::phase : line -> progress = () -> line;
        long metricRows = (long) customers * dates;
        say.accept("upload: configuring workspace %s: metrics %s, attributes %s, %d members, scoring (thresholds on logins and tickets, percentile of seats)"
                .formatted(workspace, UploadBody.METRICS.stream().map(m -> m[0]).toList(), UploadBody.ATTRIBUTES.stream().map(a -> a[0]).toList(),
                        UploadBody.OWNERS.size()));
        for (String[] m : UploadBody.METRICS) {
            adminJson(admin, "PUT", "/api/v1/metrics/" + m[0], "{\"type\":\"" + m[1] + "\"}", 200);
        }
        for (String[] a : UploadBody.ATTRIBUTES) {
            adminJson(admin, "PUT", "/api/v1/attributes/" + a[0], "{\"type\":\"" + a[1] + "\"}", 200);
        }
        for (String owner : UploadBody.OWNERS) {
            adminJson(admin, "PUT", "/api/v1/members/" + owner, "{\"name\":\"" + owner.substring(0, owner.indexOf('@')) + "\"}", 200);
        }
        adminJson(admin, "PUT", "/api/v1/scoring", UploadBody.SCORING, 200);
        long scoreOffsetsBefore = awaitScoringConsumers();
        String key = adminJson(admin, "POST", "/v0/tokens", "{\"name\":\"bench-upload\",\"scopes\":[\"customers:upload\"]}", 201).path("token").asText();
        awaitTokenKnown(key);

        Path file = dataDir.resolve("upload-body.json");
        long g0 = System.nanoTime();
        double mb = UploadBody.write(file, customers, dates, 2004) / 1e6;
        figures.put("customers", customers);
        figures.put("metric_dates_per_customer", dates);
        figures.put("metrics_per_date", UploadBody.METRICS.size());
        figures.put("body_mb", Math.round(mb * 10) / 10.0);
        say.accept("upload: generated a body of %,d customers x %d metric dates (%d metrics each): %.1f MB in %.1f s"
                .formatted(customers, dates, UploadBody.METRICS.size(), mb, (System.nanoTime() - g0) / 1e9));

        System.gc(); // the same start for every run: the warm-up's and earlier phases' garbage is not the upload's
        long t0 = System.nanoTime();
        progress = () -> "upload: POST /api/v1/customers (%.1f MB) in flight for %.1f s".formatted(mb, (System.nanoTime() - t0) / 1e9);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/customers")).timeout(Duration.ofMinutes(10))
                .header(UPLOAD_KEY_HEADER, key).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofFile(file)).build();
        JsonNode answer = json.readTree(send(request, 200));
        long ok = System.nanoTime();
        double toOk = (ok - t0) / 1e9;
        Files.delete(file);
        if (answer.path("received").asInt() != customers) {
            throw new IllegalStateException("the upload answered " + answer + ", expected " + customers + " customers received");
        }
        String uploadId = answer.path("upload_id").asText();
        figures.put("upload_id", uploadId);
        figures.put("seconds_to_200", toOk);
        figures.put("mb_per_second_to_200", mb / toOk);
        say.accept(String.format(Locale.ROOT, "upload: %,d customers x %d metrics, %.1f MB, 200 after %.1f s", customers, dates, mb, toOk));

        long[] seen = {0, 0};
        long[] doneAt = {-1, -1, -1}; // scores queryable, notification listed, metric rows stored
        progress = () -> "upload: %.1f s after the 200: %,d / %,d scores in the store%s, %s, %,d / %,d metric rows stored".formatted(
                (System.nanoTime() - ok) / 1e9, seen[0], customers, doneAt[0] < 0 ? "" : " (all queryable)",
                doneAt[1] < 0 ? "no notification yet" : "notification listed", seen[1], metricRows);
        URI pipe = URI.create(base + "/v0/pipes/customer_health.json?limit=" + customers + "&token=" + admin);
        HttpRequest notifications = HttpRequest.newBuilder(URI.create(base + "/api/v1/notifications?limit=100")).timeout(Duration.ofMinutes(1))
                .header("Authorization", "Bearer " + admin).GET().build();
        long deadline = ok + TimeUnit.MINUTES.toNanos(15);
        long nextMetricsCount = 0;
        while (doneAt[0] < 0 || doneAt[1] < 0 || doneAt[2] < 0) {
            long now = System.nanoTime();
            if (now > deadline) {
                throw new IllegalStateException("upload not done 15 min after the 200: " + progress.get());
            }
            if (doneAt[0] < 0) {
                seen[0] = storeCount("SELECT count(DISTINCT external_id) AS n FROM health_scores WHERE workspace_id = ?", workspace);
                if (seen[0] >= customers && scoredInPipe(pipe) == customers) {
                    doneAt[0] = System.nanoTime();
                    say.accept(String.format(Locale.ROOT, "upload: all %,d scores queryable %.1f s after the 200 (target <= %.0f s%s)", customers,
                            (doneAt[0] - ok) / 1e9, BenchOptions.UPLOAD_TARGET_SECONDS, options.uploadAtAcceptanceSize() ? "" : " at 10,000 x 200"));
                }
            }
            if (doneAt[1] < 0 && notified(notifications, uploadId)) {
                doneAt[1] = System.nanoTime();
                say.accept(String.format(Locale.ROOT, "upload: notification listed %.1f s after the 200", (doneAt[1] - ok) / 1e9));
            }
            if (doneAt[2] < 0 && now >= nextMetricsCount) { // the big count, less often
                seen[1] = storeCount("SELECT count(*) AS n FROM customer_metrics WHERE workspace_id = ? AND upload_id = ?", workspace, uploadId);
                nextMetricsCount = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4 * UPLOAD_POLL_MS);
                if (seen[1] >= metricRows) {
                    doneAt[2] = System.nanoTime();
                    say.accept(String.format(Locale.ROOT, "upload: all %,d metric rows stored %.1f s after the 200 (informational)", metricRows,
                            (doneAt[2] - ok) / 1e9));
                }
            }
            Thread.sleep(UPLOAD_POLL_MS);
        }
        figures.put("scores_queryable_seconds_after_200", (doneAt[0] - ok) / 1e9);
        figures.put("notification_seconds_after_200", (doneAt[1] - ok) / 1e9);
        figures.put("metric_rows", metricRows);
        figures.put("metric_rows_stored_seconds_after_200", (doneAt[2] - ok) / 1e9);
        try (Admin kafkaAdmin = new KafkaClients(node.kafkaBootstrap()).admin("bench-offsets")) {
            // more than one per customer: the scorer scored part of the upload before the rest had arrived, and rescored
            // those whose percentile the later customers moved (transaction markers count here too)
            long written = PipelineLag.endOffsets(kafkaAdmin, Topics.HEALTH_SCORES) - scoreOffsetsBefore;
            figures.put("health_scores_offsets_written", written);
            say.accept("upload: %,d health_scores offsets written for %,d customers (records and transaction markers)".formatted(written, customers));
        }
        return figures;
    }

    /**
     * Waits until the health-score application and the sinks of its topics consume (a node that has
     * just started is still assigning partitions): the figures are the pipeline's, not its start-up's.
     */
    private long awaitScoringConsumers() throws Exception {
        List<String> groups = List.of(ConsumerGroups.HEALTH_SCORES_APP, ConsumerGroups.sink(Topics.CUSTOMER_METRICS),
                ConsumerGroups.sink(Topics.HEALTH_SCORES), ConsumerGroups.sink(Topics.NOTIFICATIONS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (Admin admin = new KafkaClients(node.kafkaBootstrap()).admin("bench-groups")) {
            AtomicReference<List<String>> waiting = new AtomicReference<>(PipelineLag.notConsuming(admin, groups));
            progress = () -> "upload: waiting for the health-score application and sinks to consume: " + waiting.get();
            while (!waiting.get().isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("consumer groups " + waiting.get() + " not consuming 120 s after start-up");
                }
                Thread.sleep(200);
                waiting.set(PipelineLag.notConsuming(admin, groups));
            }
            return PipelineLag.endOffsets(admin, Topics.HEALTH_SCORES);
        }
    }

    /** How many of the upload's customers the customer_health pipe lists with a score. */
    private int scoredInPipe(URI pipe) throws IOException, InterruptedException {
        int scored = 0;
        for (JsonNode row : get(pipe).path("data")) {
            if (row.path("external_id").asText().startsWith(UploadBody.ID_PREFIX) && row.path("score").isNumber()) {
                scored++;
            }
        }
        return scored;
    }

    /** Whether the answer to {@code notifications} (GET /api/v1/notifications) lists the notification of upload {@code uploadId}. */
    private boolean notified(HttpRequest notifications, String uploadId) throws IOException, InterruptedException {
        for (JsonNode n : json.readTree(send(notifications, 200)).path("data")) {
            if (uploadId.equals(n.path("upload_id").asText())) {
                return true;
            }
        }
        return false;
    }

    /** Waits until the node knows a newly issued token: anything but 401 (a customers:upload key gets 403) on GET /api/v1/notifications. */
    private void awaitTokenKnown(String key) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/notifications"))
                    .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 401) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the node did not learn the new upload key within 30 s");
            }
            Thread.sleep(50);
        }
    }

    // ---------------------------------------------------------------- queries

    /**
     * The query data set is written straight into the store, so the stream processors have nothing
     * to do with it; whatever backlog the ingest phases left them (the customer-analytics app trails
     * bulk loads) would otherwise run on the same two cores as the measured queries. They are paused
     * (consumers closed, offsets committed) for the phase and resumed before the memory reading; the
     * lag they leave is in bench.json.
     */
    private void queriesWithProcessorsPaused() throws Exception {
        try (Admin admin = new KafkaClients(node.kafkaBootstrap()).admin("bench-lag")) {
            long lag = PipelineLag.total(admin);
            results.put("queries", "processors_paused_with_lag_records", lag);
            phase("queries: pausing the stream processors for the query phase (consumer-group lag %,d records)".formatted(lag));
        }
        node.stopProcessors();
        try {
            queries();
        } finally {
            node.startProcessors();
            phase("queries: stream processors resumed");
        }
    }

    private void queries() throws Exception {
        QueryDataset dataset = new QueryDataset(WORKSPACE, options.customers(), options.events());
        AtomicLong loaded = new AtomicLong();
        phase("queries: writing %,d events over %,d customers (plus their customer_stats, profiles, 20 segments and members) straight into the store through AnalyticsStore.write in batches of 100,000 rows (not through the gateway)"
                .formatted(options.events(), options.customers()));
        progress = () -> "queries: loading the data set: %,d / %,d events written".formatted(loaded.get(), options.events());
        long t0 = System.nanoTime();
        dataset.load(store(), 2026, loaded::set);
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        results.put("queries", "events", options.events());
        results.put("queries", "customers", options.customers());
        results.put("queries", "loaded_directly_into_store", true);
        results.put("queries", "load_rows", dataset.rowsWritten);
        results.put("queries", "load_seconds", loadSeconds);
        results.put("queries", "load_rows_per_second", dataset.rowsWritten / loadSeconds);
        phase("queries: loaded %,d rows in %.1f s (%,.0f rows/s)".formatted(dataset.rowsWritten, loadSeconds, dataset.rowsWritten / loadSeconds));

        PipeCatalog catalog = PipeCatalog.fromClasspath(Bench.class.getClassLoader());
        Random random = new Random(99);
        // workspace-wide pipes get fewer calls only when 200 (plus 200 raw) would not fit in this budget
        long budgetNanos = TimeUnit.SECONDS.toNanos(options.events() >= BenchOptions.DEFAULT_EVENTS ? 150 : 45);
        Map<String, Object> perPipe = new LinkedHashMap<>();
        for (String name : PIPES) {
            PipeDefinition pipe = catalog.find(name).orElseThrow();
            Latencies viaPipe = new Latencies();
            Latencies raw = new Latencies();
            for (int w = 0; w < WARM_UP_CALLS; w++) { // warm-up, not counted
                Map<String, String> params = params(name, random, dataset);
                get(pipeUri(name, params));
                store().query(render(pipe, params));
            }
            int calls = options.calls();
            long pairStarted = System.nanoTime();
            String note = "";
            AtomicLong done = new AtomicLong();
            int[] callsRef = {calls};
            progress = () -> "queries: %s %d / %d calls (pipe and raw)".formatted(name, done.get(), callsRef[0]);
            for (int i = 0; i < callsRef[0]; i++) {
                Map<String, String> params = params(name, random, dataset);
                URI uri = pipeUri(name, params);
                BoundQuery query = render(pipe, params);
                long p0 = System.nanoTime();
                fetch(uri);
                long p1 = System.nanoTime();
                store().query(query);
                long p2 = System.nanoTime();
                viaPipe.add(p1 - p0);
                raw.add(p2 - p1);
                done.incrementAndGet();
                if (i == 9 && !PER_CUSTOMER_PIPES.contains(name)) {
                    long perPair = (System.nanoTime() - pairStarted) / 10;
                    int fit = (int) Math.max(20, Math.min(calls, budgetNanos / Math.max(1, perPair)));
                    if (fit < calls) {
                        callsRef[0] = fit;
                        note = "fewer calls: " + calls + " would not fit the phase's time budget of " + budgetNanos / 1_000_000_000 + " s";
                    }
                }
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("scope", PER_CUSTOMER_PIPES.contains(name) ? "per-customer" : "workspace-wide");
            r.put("calls", viaPipe.count());
            r.put("pipe_p50_ms", viaPipe.percentileMs(0.5));
            r.put("pipe_p99_ms", viaPipe.percentileMs(0.99));
            r.put("raw_p50_ms", raw.percentileMs(0.5));
            r.put("raw_p99_ms", raw.percentileMs(0.99));
            r.put("ratio_p50", viaPipe.percentileMs(0.5) / raw.percentileMs(0.5));
            r.put("ratio_p99", viaPipe.percentileMs(0.99) / raw.percentileMs(0.99));
            r.put("pipe_slowest_calls", viaPipe.slowest(3));
            r.put("raw_slowest_calls", raw.slowest(3));
            if (!note.isEmpty()) {
                r.put("note", note);
            }
            perPipe.put(name, r);
            phase("queries: %s: %d calls, pipe p50 %.1f ms p99 %.1f ms, raw p50 %.1f ms p99 %.1f ms, pipe/raw %.2f%s".formatted(name,
                    viaPipe.count(), viaPipe.percentileMs(0.5), viaPipe.percentileMs(0.99), raw.percentileMs(0.5), raw.percentileMs(0.99),
                    viaPipe.percentileMs(0.5) / raw.percentileMs(0.5), note.isEmpty() ? "" : " (" + note + ")"));
        }
        results.put("queries", "pipes", perPipe);
    }

    /** Random valid params of {@code pipe} over the data set. */
    static Map<String, String> params(String pipe, Random random, QueryDataset dataset) {
        Map<String, String> p = new LinkedHashMap<>();
        String customer = QueryDataset.customerId(random.nextInt(dataset.customers));
        String country = EventLines.COUNTRIES[random.nextInt(EventLines.COUNTRIES.length)];
        int month = 1 + random.nextInt(12);
        int months = 1 + random.nextInt(6);
        String start = "2023-%02d-01 00:00:00".formatted(month);
        String end = month + months > 12 ? "2023-12-31 23:59:59" : "2023-%02d-01 00:00:00".formatted(month + months);
        switch (pipe) {
            case "customer_activity" -> {
                p.put("customer_id", customer);
                if (random.nextInt(3) == 0) {
                    p.put("event_type", EventLines.EVENT_TYPES[random.nextInt(EventLines.EVENT_TYPES.length)]);
                }
            }
            case "customer_purchase_history" -> {
                p.put("customer_id", customer);
                if (random.nextBoolean()) {
                    p.put("start_date", start);
                    p.put("end_date", end);
                }
            }
            case "customer_segmentation_suggestions" -> {
            }
            case "customer_behavioral_analysis" -> {
                p.put("start_date", start);
                p.put("end_date", end);
                if (random.nextBoolean()) {
                    p.put("country", country);
                }
                if (random.nextInt(3) == 0) {
                    p.put("event_type", EventLines.EVENT_TYPES[random.nextInt(EventLines.EVENT_TYPES.length)]);
                }
            }
            case "segment_customers" -> {
                p.put("segment_name", dataset.segmentNames.get(random.nextInt(dataset.segmentNames.size())));
                if (random.nextBoolean()) {
                    p.put("country", country);
                }
                if (random.nextInt(3) == 0) {
                    p.put("min_age", "25");
                    p.put("max_age", "45");
                }
            }
            case "segment_metrics" -> {
                if (random.nextBoolean()) {
                    p.put("country", country);
                }
            }
            default -> throw new IllegalArgumentException(pipe);
        }
        return p;
    }

    /** The pipe engine's own path from params to SQL (PipeArguments, then the template), without HTTP. */
    private BoundQuery render(PipeDefinition pipe, Map<String, String> params) {
        Map<String, List<String>> query = new HashMap<>();
        params.forEach((k, v) -> query.put(k, List.of(v)));
        Map<String, Object> bound = new HashMap<>(PipeArguments.parse(pipe, query).values());
        bound.put(PipeTemplate.WORKSPACE_ID, WORKSPACE);
        return pipe.template(store().dialect()).render(bound);
    }

    private URI pipeUri(String name, Map<String, String> params) {
        StringBuilder uri = new StringBuilder(base).append("/v0/pipes/").append(name).append(".json?token=").append(token);
        params.forEach((k, v) -> uri.append('&').append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return URI.create(uri.toString());
    }

    // ---------------------------------------------------------------- memory

    private void memory() {
        Runtime rt = Runtime.getRuntime();
        long usedBefore = rt.totalMemory() - rt.freeMemory();
        System.gc();
        long usedAfterGc = rt.totalMemory() - rt.freeMemory();
        long rss = rssBytes();
        results.put("memory", "heap_used_mib", usedBefore / 1048576.0);
        results.put("memory", "heap_used_after_gc_mib", usedAfterGc / 1048576.0);
        results.put("memory", "heap_max_mib", rt.maxMemory() / 1048576.0);
        results.put("memory", "rss_mib", rss / 1048576.0);
        results.put("memory", "jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + " "
                + ManagementFactory.getRuntimeMXBean().getInputArguments());
        phase("memory: heap used %.0f MiB (%.0f MiB after a full GC) of %.0f MiB max; RSS %.0f MiB".formatted(usedBefore / 1048576.0,
                usedAfterGc / 1048576.0, rt.maxMemory() / 1048576.0, rss / 1048576.0));
    }

    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Memory DuckDB's buffer manager holds (MiB): part of this process's RSS, and bounded by
     * {@code --duckdb-memory-mb}; NaN for ClickHouse, whose memory is another process's.
     */
    private double storeMemoryMib() {
        if (store().dialect() != StoreDialect.DUCKDB) {
            return Double.NaN;
        }
        Object bytes = store().query(new BoundQuery("SELECT CAST(sum(memory_usage_bytes) AS BIGINT) FROM duckdb_memory()", List.of()))
                .rows().get(0).get(0);
        return ((Number) bytes).doubleValue() / 1048576.0;
    }

    private AnalyticsStore store() {
        return node.store().orElseThrow();
    }

    private void phase(String line) {
        progress = () -> line;
        out.println(line);
        out.flush();
    }

    private JsonNode post(URI uri, byte[] body, int expected) throws IOException, InterruptedException {
        return json.readTree(send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), expected));
    }

    /** {@code method} on {@code path} with bearer token {@code admin} and a JSON body; the answer, which must have status {@code expected}. */
    private JsonNode adminJson(String admin, String method, String path, String body, int expected) throws IOException, InterruptedException {
        return json.readTree(send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), expected));
    }

    private JsonNode get(URI uri) throws IOException, InterruptedException {
        return json.readTree(fetch(uri));
    }

    /** The body of a 200 answer to GET {@code uri}, not parsed: a timed pipe call is the server's answer, not the client's JSON parsing. */
    private byte[] fetch(URI uri) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).GET().build(), 200);
    }

    /** The body of the answer to {@code request}, which must have status {@code expected}. */
    private byte[] send(HttpRequest request, int expected) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(request.method() + " " + request.uri().getPath() + " answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return response.body();
    }

    private long storeEventCount() {
        return storeCount("SELECT count(*) AS n FROM customer_events WHERE workspace_id = ?", WORKSPACE);
    }

    /** The single number {@code sql} answers, with {@code params} bound as strings. */
    private long storeCount(String sql, String... params) {
        var result = store().query(BoundQuery.of(sql, Stream.of(params).map(QueryParam::string).toArray(QueryParam[]::new)));
        return ((Number) result.rows().get(0).get(0)).longValue();
    }

    /** Samples the store's event count every 250 ms; remembers the best rate over one second. */
    private final class StoreWatch {
        private final Thread thread;
        volatile long latest;
        volatile double peakRate;
        private volatile boolean running = true;

        StoreWatch(long initial) {
            latest = initial;
            thread = new Thread(() -> {
                long lastCount = initial;
                long lastAt = System.nanoTime();
                while (running) {
                    try {
                        Thread.sleep(250);
                        long count = storeEventCount();
                        long now = System.nanoTime();
                        latest = count;
                        if (now - lastAt >= 1_000_000_000L) {
                            peakRate = Math.max(peakRate, (count - lastCount) / ((now - lastAt) / 1e9));
                            lastCount = count;
                            lastAt = now;
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        // store busy: sample again
                    }
                }
            }, "bench-store-watch");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() {
            running = false;
            thread.interrupt();
        }

        /** Waits until the count reaches {@code target}; returns System.nanoTime() of the sample that saw it. */
        long awaitCount(long target, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (latest < target) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("store holds " + latest + " rows, expected " + target + " within " + timeout);
                }
                Thread.sleep(20);
            }
            return System.nanoTime();
        }
    }

    /**
     * Waits until every consumer group has caught up (at most 300 s, 900 s at 10M events); returns
     * the customer-analytics app's events/s over the wait when it had a backlog worth timing (over
     * 20,000 events and 5 s), else NaN. Nothing is produced meanwhile, so the backlog it clears over
     * the wait is its throughput, on the same cores as everything else.
     */
    private double drainMeasuringStreams(String phase) throws Exception {
        long limit = TimeUnit.SECONDS.toNanos(options.events() >= BenchOptions.DEFAULT_EVENTS ? 900 : 300);
        long t0 = System.nanoTime();
        long[] lag = {-1, -1};
        progress = () -> "%s: waiting for an idle pipeline: %,d records behind (customer-analytics app %,d)".formatted(phase, lag[0], lag[1]);
        long streamsAtStart = -1;
        long streamsDoneAt = -1;
        try (Admin admin = new KafkaClients(node.kafkaBootstrap()).admin("bench-lag")) {
            while (true) {
                List<PipelineLag.Behind> behind = PipelineLag.behind(admin);
                lag[0] = behind.stream().mapToLong(PipelineLag.Behind::lag).sum();
                lag[1] = behind.stream().filter(b -> b.group().equals(ConsumerGroups.CUSTOMER_ANALYTICS_APP)).mapToLong(PipelineLag.Behind::lag).sum();
                if (streamsAtStart < 0) {
                    streamsAtStart = lag[1];
                }
                if (lag[1] == 0 && streamsDoneAt < 0) {
                    streamsDoneAt = System.nanoTime();
                }
                if (lag[0] == 0 || System.nanoTime() - t0 > limit) {
                    break;
                }
                Thread.sleep(300);
            }
        }
        double waited = (System.nanoTime() - t0) / 1e9;
        results.put(phase, "idle_wait_seconds", waited);
        results.put(phase, "lag_at_start_records", lag[0]);
        double streamsSeconds = ((streamsDoneAt < 0 ? System.nanoTime() : streamsDoneAt) - t0) / 1e9;
        long cleared = streamsAtStart - lag[1];
        if (cleared < 20_000 || streamsSeconds < 5) {
            phase("%s: pipeline idle after %.0f s".formatted(phase, waited));
            return Double.NaN;
        }
        double rate = cleared / streamsSeconds;
        results.put("streams", "events_drained", cleared);
        results.put("streams", "seconds", streamsSeconds);
        results.put("streams", "events_per_second", rate);
        phase("streams: the customer-analytics app cleared %,d events of backlog in %.0f s: %,.0f events/s%s".formatted(cleared,
                streamsSeconds, rate, lag[0] == 0 ? "" : "; %,d records still behind after the %d s limit".formatted(lag[0], limit / 1_000_000_000)));
        return rate;
    }

    /** How long a phase waits for the pipeline to drain: 60 s, 40 s in a quick run (which must fit in 10 minutes). */
    private Duration drainLimit() {
        return Duration.ofSeconds(options.quick() ? 40 : 60);
    }

    /**
     * Waits until every tributary consumer group has committed the end offsets, so that the next phase
     * starts on an idle pipeline, for at most {@link #drainLimit()}: a slower group (the
     * customer-analytics stream app, the customer_stats sink) then keeps working during the next phase, and the lag left is recorded.
     */
    private void awaitPipelineDrained(String when) throws Exception {
        long t0 = System.nanoTime();
        long[] lag = {-1};
        progress = () -> "draining the pipeline %s: consumer-group lag %,d records".formatted(when, lag[0]);
        String key = when.replace(' ', '_');
        try (Admin admin = new KafkaClients(node.kafkaBootstrap()).admin("bench-lag")) {
            int quiet = 0;
            List<PipelineLag.Behind> behind = List.of();
            while (quiet < 2) {
                behind = PipelineLag.behind(admin);
                lag[0] = behind.stream().mapToLong(PipelineLag.Behind::lag).sum();
                quiet = lag[0] == 0 ? quiet + 1 : 0;
                if (System.nanoTime() - t0 > drainLimit().toNanos()) {
                    Map<String, Long> byGroup = new LinkedHashMap<>();
                    behind.forEach(b -> byGroup.merge(b.group(), b.lag(), Long::sum));
                    results.put("pipeline", "lag_left_" + key, byGroup);
                    phase("pipeline not drained %s within %d s; going on with lag %s".formatted(when, drainLimit().toSeconds(), byGroup));
                    break;
                }
                Thread.sleep(300);
            }
        }
        results.put("pipeline", "drain_seconds_" + key, (System.nanoTime() - t0) / 1e9);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: it is a temp dir
        }
    }
}
