package io.tributary.platform.metrics;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * The recent measurements of {@link ConsumerLagMetrics}: one {@link Sample} per refresh, kept for
 * a fixed window. Rates are offset differences between consecutive samples divided by the time
 * between them (records/s over the last sampling interval), so they need two samples and are
 * empty before that. Pure and thread-safe (synchronized), so it is unit-tested without Kafka.
 */
public final class LagHistory {

    /** One group's position on one partition at one refresh; {@code lagSeconds} is null when unknown. */
    public record Measurement(String group, TopicPartition partition, long endOffset, long committedOffset, long lag,
                              Double lagSeconds) {
    }

    /** Every measurement of one refresh, taken at {@code atMillis} (epoch ms). */
    public record Sample(long atMillis, List<Measurement> measurements) {
        public Sample {
            measurements = List.copyOf(measurements);
        }
    }

    /**
     * The latest measurement of a partition for a group, with its rates over the last interval:
     * {@code consumeRate} = committed-offset growth/s (the group's progress), {@code produceRate} =
     * end-offset growth/s (the topic's ingest). Rates are null until two samples exist.
     */
    public record PartitionStatus(String group, String topic, int partition, long endOffset, long committedOffset, long lag,
                                  Double lagSeconds, Double consumeRate, Double produceRate) {
    }

    /** Totals of one refresh: per group lag and consume rate, per topic produce rate (rates null for the first sample). */
    public record Point(long atMillis, Map<String, Long> groupLag, Map<String, Double> groupConsumeRate,
                        Map<String, Double> topicProduceRate) {
    }

    private final long windowMillis;
    private final Deque<Sample> samples = new ArrayDeque<>();

    public LagHistory(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    public synchronized void add(Sample sample) {
        samples.addLast(sample);
        while (samples.size() > 2 && samples.peekFirst().atMillis() < sample.atMillis() - windowMillis) {
            samples.removeFirst();
        }
    }

    public synchronized Optional<Sample> latest() {
        return Optional.ofNullable(samples.peekLast());
    }

    /** The latest measurement of every group and partition with its rates, ordered by group, topic, partition. */
    public synchronized List<PartitionStatus> current() {
        if (samples.isEmpty()) {
            return List.of();
        }
        Sample last = samples.peekLast();
        Sample previous = samples.size() > 1 ? new ArrayList<>(samples).get(samples.size() - 2) : null;
        Map<String, Measurement> before = previous == null ? Map.of() : byKey(previous);
        double seconds = previous == null ? 0 : (last.atMillis() - previous.atMillis()) / 1000.0;
        List<PartitionStatus> out = new ArrayList<>();
        for (Measurement m : last.measurements()) {
            Measurement b = before.get(key(m));
            Double consume = b == null || seconds <= 0 ? null : rate(b.committedOffset(), m.committedOffset(), seconds);
            Double produce = b == null || seconds <= 0 ? null : rate(b.endOffset(), m.endOffset(), seconds);
            out.add(new PartitionStatus(m.group(), m.partition().topic(), m.partition().partition(), m.endOffset(),
                    m.committedOffset(), m.lag(), m.lagSeconds(), consume, produce));
        }
        out.sort(Comparator.comparing(PartitionStatus::group).thenComparing(PartitionStatus::topic)
                .thenComparingInt(PartitionStatus::partition));
        return out;
    }

    /** One point per kept sample, oldest first: the series behind "lag and rates over the last minutes". */
    public synchronized List<Point> series() {
        List<Point> points = new ArrayList<>();
        Sample previous = null;
        for (Sample s : samples) {
            Map<String, Measurement> before = previous == null ? Map.of() : byKey(previous);
            double seconds = previous == null ? 0 : (s.atMillis() - previous.atMillis()) / 1000.0;
            Map<String, Long> lag = new TreeMap<>();
            Map<String, Double> consume = new TreeMap<>();
            Map<String, Double> produce = new TreeMap<>();
            Map<TopicPartition, Boolean> producedCounted = new HashMap<>();
            for (Measurement m : s.measurements()) {
                lag.merge(m.group(), m.lag(), Long::sum);
                Measurement b = before.get(key(m));
                if (b == null || seconds <= 0) {
                    continue;
                }
                consume.merge(m.group(), rate(b.committedOffset(), m.committedOffset(), seconds), Double::sum);
                if (producedCounted.putIfAbsent(m.partition(), true) == null) {
                    produce.merge(m.partition().topic(), rate(b.endOffset(), m.endOffset(), seconds), Double::sum);
                }
            }
            points.add(new Point(s.atMillis(), lag, consume, produce));
            previous = s;
        }
        return points;
    }

    /** Topics in the latest sample, sorted. */
    public synchronized List<String> topics() {
        TreeSet<String> topics = new TreeSet<>();
        latest().ifPresent(s -> s.measurements().forEach(m -> topics.add(m.partition().topic())));
        return List.copyOf(topics);
    }

    /** Offsets that went down (a reset for --rebuild-store) count as no progress, not as a negative rate. */
    private static double rate(long from, long to, double seconds) {
        return Math.max(0, to - from) / seconds;
    }

    private static Map<String, Measurement> byKey(Sample sample) {
        Map<String, Measurement> map = new LinkedHashMap<>();
        sample.measurements().forEach(m -> map.put(key(m), m));
        return map;
    }

    private static String key(Measurement m) {
        return m.group() + "/" + m.partition();
    }
}
