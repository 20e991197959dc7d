package io.tributary.platform.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.platform.kafka.KafkaClients;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer lag per group and partition, computed from Kafka itself (end offset − committed
 * offset) rather than from a consumer's own metrics, so it is right whichever process runs the
 * consumer, and it keeps rising while that consumer is stopped. Every refresh (default 5 s):
 * <ul>
 *   <li>lag in records: end offset − committed offset (log start when nothing is committed);</li>
 *   <li>lag in seconds: the age of the oldest unconsumed record, i.e. now − the timestamp of the
 *       record at the committed offset, read by one standalone consumer of this class
 *       ({@code assign} + {@code seek} + one short poll) for lagging partitions only; 0 when
 *       there is no lag; null when that record could not be read within the poll;</li>
 *   <li>rates (in {@link LagHistory}): committed- and end-offset growth per second between the
 *       last two refreshes, with {@value #HISTORY_MINUTES} minutes of samples kept for series.</li>
 * </ul>
 * Gauges: {@code tributary.consumer.lag{group,topic,partition}} (records) and
 * {@code tributary.consumer.lag.seconds{group,topic,partition}}.
 */
public final class ConsumerLagMetrics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLagMetrics.class);
    public static final int HISTORY_MINUTES = 10;
    private static final Duration TIMESTAMP_POLL = Duration.ofSeconds(1);

    /** A group and the topics it consumes. */
    public record WatchedGroup(String group, List<String> topics) {
        public WatchedGroup {
            topics = List.copyOf(topics);
        }
    }

    private final Admin admin;
    private final KafkaClients kafka;
    private final MeterRegistry registry;
    private final List<WatchedGroup> groups;
    private final Duration interval;
    private final Clock clock;
    private final LagHistory history = new LagHistory(TimeUnit.MINUTES.toMillis(HISTORY_MINUTES));
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> secondsGauges = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private KafkaConsumer<byte[], byte[]> timestampReader; // used by the refreshing thread only

    private ConsumerLagMetrics(Admin admin, KafkaClients kafka, MeterRegistry registry, List<WatchedGroup> groups, Duration interval,
                               Clock clock) {
        this.admin = admin;
        this.kafka = kafka;
        this.registry = registry;
        this.groups = List.copyOf(groups);
        this.interval = interval;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "consumer-lag-metrics");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts refreshing every {@code interval}; {@code kafka} creates the consumer that reads record timestamps. */
    public static ConsumerLagMetrics start(Admin admin, KafkaClients kafka, MeterRegistry registry, List<WatchedGroup> groups,
                                           Duration interval) {
        ConsumerLagMetrics metrics = new ConsumerLagMetrics(admin, kafka, registry, groups, interval, Clock.systemUTC());
        metrics.scheduler.scheduleWithFixedDelay(metrics::refreshQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return metrics;
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (Exception e) {
            LOG.debug("consumer lag refresh failed: {}", e.toString());
        }
    }

    /** Measures every watched group now and adds the sample to the history. */
    private void refresh() throws Exception {
        long now = clock.millis();
        Set<String> topics = groups.stream().flatMap(g -> g.topics().stream()).collect(Collectors.toSet());
        Map<String, org.apache.kafka.clients.admin.TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latestSpec = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliestSpec = new HashMap<>();
        described.forEach((name, d) -> d.partitions().forEach(p -> {
            latestSpec.put(new TopicPartition(name, p.partition()), OffsetSpec.latest());
            earliestSpec.put(new TopicPartition(name, p.partition()), OffsetSpec.earliest());
        }));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latestSpec).all().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = admin.listOffsets(earliestSpec).all().get(10, TimeUnit.SECONDS);
        List<LagHistory.Measurement> measurements = new ArrayList<>();
        for (WatchedGroup group : groups) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.group())
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, Long> positions = new HashMap<>();
            Map<TopicPartition, Long> lagging = new HashMap<>();
            for (TopicPartition tp : ends.keySet()) {
                if (!group.topics().contains(tp.topic())) {
                    continue;
                }
                OffsetAndMetadata c = committed.get(tp);
                long position = c == null ? starts.get(tp).offset() : c.offset();
                positions.put(tp, position);
                if (ends.get(tp).offset() > position) {
                    lagging.put(tp, position);
                }
            }
            Map<TopicPartition, Long> oldest = oldestUnconsumed(lagging, ends);
            positions.forEach((tp, position) -> {
                long end = ends.get(tp).offset();
                long lag = Math.max(0, end - position);
                Double seconds = lag == 0 ? Double.valueOf(0) : oldest.containsKey(tp)
                        ? Double.valueOf(Math.max(0, now - oldest.get(tp)) / 1000.0) : null;
                measurements.add(new LagHistory.Measurement(group.group(), tp, end, position, lag, seconds));
                gauge(gauges, "tributary.consumer.lag", "Records in the partition not yet committed by the group", "records",
                        AtomicLong::get, group.group(), tp).set(lag);
                if (seconds != null) {
                    gauge(secondsGauges, "tributary.consumer.lag.seconds",
                            "Age of the oldest record in the partition not yet committed by the group (0 when caught up)", "seconds",
                            bits -> Double.longBitsToDouble(bits.get()), group.group(), tp).set(Double.doubleToLongBits(seconds));
                }
            });
        }
        history.add(new LagHistory.Sample(now, measurements));
    }

    /**
     * Timestamp (epoch ms) of the first record at or after each given offset; a partition whose
     * position reaches the end offset without a record (only transaction markers left) counts as
     * the current time (age 0). Partitions not read within the poll are left out.
     */
    private Map<TopicPartition, Long> oldestUnconsumed(Map<TopicPartition, Long> offsets, Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends) {
        Map<TopicPartition, Long> found = new HashMap<>();
        if (offsets.isEmpty()) {
            return found;
        }
        if (timestampReader == null) {
            Map<String, Object> props = kafka.standaloneConsumerConfig("tributary-lag-timestamps");
            props.put("max.poll.records", 500);
            props.put("max.partition.fetch.bytes", 64 * 1024);
            timestampReader = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        try {
            timestampReader.assign(offsets.keySet());
            offsets.forEach(timestampReader::seek);
            long deadline = System.nanoTime() + TIMESTAMP_POLL.toNanos();
            while (found.size() < offsets.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : timestampReader.poll(Duration.ofMillis(100))) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (found.putIfAbsent(tp, record.timestamp()) == null) {
                        timestampReader.pause(List.of(tp));
                    }
                }
                for (TopicPartition tp : offsets.keySet()) {
                    if (!found.containsKey(tp) && timestampReader.position(tp, Duration.ofSeconds(1)) >= ends.get(tp).offset()) {
                        found.put(tp, clock.millis());
                        timestampReader.pause(List.of(tp));
                    }
                }
            }
        } finally {
            timestampReader.assign(List.of());
        }
        return found;
    }

    /** The latest measurement of every watched group and partition, with rates over the last interval. */
    public List<LagHistory.PartitionStatus> snapshot() {
        return history.current();
    }

    /** The kept samples (last {@value #HISTORY_MINUTES} minutes). */
    public LagHistory history() {
        return history;
    }

    public List<WatchedGroup> groups() {
        return groups;
    }

    public Duration interval() {
        return interval;
    }

    /** The holder of a gauge's value (a long, or a double's bits), registered on first use. */
    private AtomicLong gauge(Map<String, AtomicLong> holders, String name, String description, String unit,
                             ToDoubleFunction<AtomicLong> read, String group, TopicPartition tp) {
        return holders.computeIfAbsent(key(group, tp), k -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, read)
                    .description(description)
                    .baseUnit(unit)
                    .tags("group", group, "topic", tp.topic(), "partition", Integer.toString(tp.partition()))
                    .register(registry);
            return value;
        });
    }

    private static String key(String group, TopicPartition tp) {
        return group + "/" + tp;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (timestampReader != null) {
            timestampReader.close();
        }
    }
}
