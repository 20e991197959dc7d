package io.tributary.query.ops;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.tributary.platform.auth.RequestAuth;
import io.tributary.platform.auth.Scope;
import io.tributary.platform.http.HttpRoutes;
import io.tributary.platform.http.ReadinessCheck;
import io.tributary.platform.metrics.ConsumerLagMetrics;
import io.tributary.platform.metrics.LagHistory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The operations report: {@code GET /v0/ops} (JSON; scope {@code ops:read} or {@code admin}, as
 * a header or {@code ?token=}) and the page {@code GET /ops} (static HTML that polls it). The lag
 * figures come from {@link ConsumerLagMetrics} (Kafka's offsets, so they hold whichever process
 * runs the consumers); freshness from the {@code tributary.sink.freshness} timers of this
 * process's sinks; health from the same checks as {@code /ready}.
 */
public final class OpsRoutes implements HttpRoutes {
    static final String FRESHNESS_TIMER = "tributary.sink.freshness";
    static final String LAG_SECONDS_METHOD = "age of the oldest unconsumed record: now minus the timestamp of the record "
            + "at the committed offset (read with assign+seek), 0 when caught up, null when not readable";

    private final ConsumerLagMetrics lag;
    private final MeterRegistry metrics;
    private final List<ReadinessCheck> readiness;
    private final RequestAuth auth;
    private final byte[] page;

    public OpsRoutes(ConsumerLagMetrics lag, MeterRegistry metrics, List<ReadinessCheck> readiness, RequestAuth auth) {
        this.lag = Objects.requireNonNull(lag);
        this.metrics = Objects.requireNonNull(metrics);
        this.readiness = Objects.requireNonNull(readiness);
        this.auth = Objects.requireNonNull(auth);
        this.page = resource("ops/ops.html");
    }

    @Override
    public void mount(Javalin app) {
        app.get("/v0/ops", this::report);
        app.get("/ops", ctx -> ctx.contentType("text/html; charset=utf-8").header("Cache-Control", "no-store").result(page));
    }

    private void report(Context ctx) {
        auth.require(ctx, Scope.OPS_READ, true);
        ctx.header("Cache-Control", "no-store").json(report(lag, metrics, ReadinessCheck.runAll(readiness)));
    }

    /** The report's JSON tree (see the root README, "Operations"). */
    static Map<String, Object> report(ConsumerLagMetrics lag, MeterRegistry metrics, ReadinessCheck.Results health) {
        Map<String, Object> out = new LinkedHashMap<>();
        LagHistory history = lag.history();
        out.put("sampled_at", history.latest().map(s -> Instant.ofEpochMilli(s.atMillis()).toString()).orElse(null));
        out.put("sample_interval_seconds", lag.interval().toMillis() / 1000.0);
        out.put("history_minutes", ConsumerLagMetrics.HISTORY_MINUTES);
        out.put("lag_seconds_method", LAG_SECONDS_METHOD);
        out.put("groups", groups(lag, history.current()));
        out.put("series", series(history.series()));
        out.put("freshness", freshness(metrics));
        out.put("health", Map.of("status", health.status(), "checks", health.checks()));
        return out;
    }

    private static List<Map<String, Object>> groups(ConsumerLagMetrics lag, List<LagHistory.PartitionStatus> current) {
        List<Map<String, Object>> groups = new ArrayList<>();
        for (ConsumerLagMetrics.WatchedGroup watched : lag.groups()) {
            List<LagHistory.PartitionStatus> mine = current.stream().filter(s -> s.group().equals(watched.group())).toList();
            Map<String, Object> group = new LinkedHashMap<>();
            group.put("group", watched.group());
            group.put("topics", watched.topics());
            group.put("lag", mine.stream().mapToLong(LagHistory.PartitionStatus::lag).sum());
            group.put("lag_seconds", mine.stream().map(LagHistory.PartitionStatus::lagSeconds)
                    .max(Comparator.nullsLast(Comparator.naturalOrder())).orElse(null));
            group.put("consume_rate", sum(mine.stream().map(LagHistory.PartitionStatus::consumeRate).toList()));
            List<Map<String, Object>> partitions = new ArrayList<>();
            for (LagHistory.PartitionStatus s : mine) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("topic", s.topic());
                p.put("partition", s.partition());
                p.put("end_offset", s.endOffset());
                p.put("committed_offset", s.committedOffset());
                p.put("lag", s.lag());
                p.put("lag_seconds", s.lagSeconds());
                p.put("consume_rate", round(s.consumeRate()));
                p.put("produce_rate", round(s.produceRate()));
                partitions.add(p);
            }
            group.put("partitions", partitions);
            groups.add(group);
        }
        return groups;
    }

    private static Map<String, Object> series(List<LagHistory.Point> points) {
        Map<String, Object> series = new LinkedHashMap<>();
        series.put("at", points.stream().map(LagHistory.Point::atMillis).toList());
        Map<String, Map<String, List<Object>>> groups = new TreeMap<>();
        Map<String, List<Object>> topics = new TreeMap<>();
        for (int i = 0; i < points.size(); i++) {
            LagHistory.Point p = points.get(i);
            for (String group : p.groupLag().keySet()) {
                Map<String, List<Object>> g = groups.computeIfAbsent(group, k -> new LinkedHashMap<>());
                column(g.computeIfAbsent("lag", k -> new ArrayList<>()), i).add(p.groupLag().get(group));
                column(g.computeIfAbsent("consume_rate", k -> new ArrayList<>()), i).add(round(p.groupConsumeRate().get(group)));
            }
            int index = i;
            p.topicProduceRate().forEach((topic, rate) -> column(topics.computeIfAbsent(topic, k -> new ArrayList<>()), index).add(round(rate)));
        }
        series.put("groups", groups);
        Map<String, Object> produce = new TreeMap<>();
        topics.forEach((topic, rates) -> produce.put(topic, Map.of("produce_rate", column(rates, points.size()))));
        series.put("topics", produce);
        return series;
    }

    /** Pads a series with nulls up to {@code index}, so every list lines up with {@code at}. */
    private static List<Object> column(List<Object> values, int index) {
        while (values.size() < index) {
            values.add(null);
        }
        return values;
    }

    private static List<Map<String, Object>> freshness(MeterRegistry metrics) {
        List<Map<String, Object>> sinks = new ArrayList<>();
        for (Timer timer : metrics.find(FRESHNESS_TIMER).timers()) {
            HistogramSnapshot snapshot = timer.takeSnapshot();
            Map<String, Object> sink = new LinkedHashMap<>();
            sink.put("sink", timer.getId().getTag("sink"));
            sink.put("count", snapshot.count());
            for (ValueAtPercentile v : snapshot.percentileValues()) {
                sink.put("p" + Math.round(v.percentile() * 100) + "_seconds", round(v.value(TimeUnit.SECONDS)));
            }
            sink.put("max_seconds", round(snapshot.max(TimeUnit.SECONDS)));
            sinks.add(sink);
        }
        sinks.sort(Comparator.comparing(s -> String.valueOf(s.get("sink"))));
        return sinks;
    }

    private static Double sum(List<Double> rates) {
        if (rates.isEmpty() || rates.stream().anyMatch(Objects::isNull)) {
            return null;
        }
        return round(rates.stream().mapToDouble(Double::doubleValue).sum());
    }

    private static Double round(Double value) {
        return value == null || value.isNaN() || value.isInfinite() ? null : Math.round(value * 1000) / 1000.0;
    }

    private static byte[] resource(String name) {
        try (InputStream in = OpsRoutes.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
