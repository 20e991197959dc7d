package io.tributary.deploy.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;

/**
 * The partitions on which a Tributary consumer group (the streams application and every sink,
 * groups named {@code tributary-*}) has not committed the end offset yet, including partitions
 * assigned but never committed. Empty means everything produced so far has flowed through.
 */
public final class PipelineLag {

    /** One partition behind: the group, the partition, its committed offset (0 when none) and the end offset. */
    public record Behind(String group, TopicPartition partition, long committed, long end) {
        public long lag() {
            return end - committed;
        }

        @Override
        public String toString() {
            return group + " " + partition + " " + committed + "/" + end;
        }
    }

    private PipelineLag() {
    }

    public static List<Behind> behind(Admin admin) throws Exception {
        List<Behind> behind = new ArrayList<>();
        for (ConsumerGroupListing group : admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS)) {
            if (!group.groupId().startsWith("tributary-")) {
                continue;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            committed.keySet().forEach(tp -> request.put(tp, OffsetSpec.latest()));
            // partitions assigned but never committed count too (a sink that has not written yet)
            admin.describeConsumerGroups(List.of(group.groupId())).all().get(30, TimeUnit.SECONDS).get(group.groupId()).members()
                    .forEach(m -> m.assignment().topicPartitions().forEach(tp -> request.put(tp, OffsetSpec.latest())));
            var ends = admin.listOffsets(request).all().get(30, TimeUnit.SECONDS);
            for (TopicPartition tp : request.keySet()) {
                long end = ends.get(tp).offset();
                OffsetAndMetadata offset = committed.get(tp);
                long at = offset == null ? 0 : offset.offset();
                if (at < end) {
                    behind.add(new Behind(group.groupId(), tp, at, end));
                }
            }
        }
        return behind;
    }

    /** Those of {@code groups} that are not yet stable with at least one member: not consuming yet (just started, or rebalancing). */
    public static List<String> notConsuming(Admin admin, List<String> groups) throws Exception {
        List<String> waiting = new ArrayList<>();
        admin.describeConsumerGroups(groups).all().get(30, TimeUnit.SECONDS).forEach((id, group) -> {
            if (group.groupState() != GroupState.STABLE || group.members().isEmpty()) {
                waiting.add(id);
            }
        });
        return waiting;
    }

    /** The sum of the end offsets of {@code topic}'s partitions: how many records (and transaction markers) it holds. */
    public static long endOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).values().stream().mapToLong(o -> o.offset()).sum();
    }

    public static long total(Admin admin) throws Exception {
        return behind(admin).stream().mapToLong(Behind::lag).sum();
    }
}
