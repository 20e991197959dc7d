package io.tributary.platform.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer lag per group and partition, computed from Kafka itself (end offset − committed
 * offset) rather than from a consumer's own metrics, so it is right whichever process runs the
 * consumer, and it keeps rising while that consumer is stopped. Exposed as the gauge
 * {@code tributary.consumer.lag{group,topic,partition}} (records).
 */
public final class ConsumerLagMetrics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLagMetrics.class);

    /** A group and the topics it consumes. */
    public record WatchedGroup(String group, List<String> topics) {
        public WatchedGroup {
            topics = List.copyOf(topics);
        }
    }

    /** Lag of one partition for one group, as last measured. */
    public record PartitionLag(String group, TopicPartition partition, long endOffset, long committedOffset, long lag) {
    }

    private final Admin admin;
    private final MeterRegistry registry;
    private final List<WatchedGroup> groups;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
    private final Map<String, PartitionLag> latest = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;

    private ConsumerLagMetrics(Admin admin, MeterRegistry registry, List<WatchedGroup> groups) {
        this.admin = admin;
        this.registry = registry;
        this.groups = List.copyOf(groups);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "consumer-lag-metrics");
            t.setDaemon(true);
            return t;
        });
    }

    public static ConsumerLagMetrics start(Admin admin, MeterRegistry registry, List<WatchedGroup> groups, Duration interval) {
        ConsumerLagMetrics metrics = new ConsumerLagMetrics(admin, registry, groups);
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

    /** Measures every watched group now. */
    public List<PartitionLag> refresh() throws Exception {
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
        for (WatchedGroup group : groups) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.group())
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            for (TopicPartition tp : ends.keySet()) {
                if (!group.topics().contains(tp.topic())) {
                    continue;
                }
                long end = ends.get(tp).offset();
                OffsetAndMetadata c = committed.get(tp);
                long position = c == null ? starts.get(tp).offset() : c.offset();
                long lag = Math.max(0, end - position);
                latest.put(key(group.group(), tp), new PartitionLag(group.group(), tp, end, position, lag));
                gauge(group.group(), tp).set(lag);
            }
        }
        return snapshot();
    }

    /** The last measurement of every watched group and partition. */
    public List<PartitionLag> snapshot() {
        return latest.values().stream()
                .sorted(java.util.Comparator.comparing(PartitionLag::group)
                        .thenComparing(l -> l.partition().topic()).thenComparingInt(l -> l.partition().partition()))
                .toList();
    }

    private AtomicLong gauge(String group, TopicPartition tp) {
        return gauges.computeIfAbsent(key(group, tp), k -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("tributary.consumer.lag", value, AtomicLong::get)
                    .description("Records in the partition not yet committed by the group")
                    .baseUnit("records")
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
    }
}
