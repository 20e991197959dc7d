package io.tributary.deploy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until every consumer group of a node (the streams application and every sink) has
 * committed the end offset of every partition it reads, twice in a row: then everything posted
 * so far has flowed through the topology into the store.
 */
final class PipelineDrain {
    private PipelineDrain() {
    }

    static void await(String bootstrap, Duration timeout) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            int quietChecks = 0;
            String lagging = "";
            while (quietChecks < 2) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("pipeline not drained after " + timeout + ": " + lagging);
                }
                lagging = lagging(admin);
                quietChecks = lagging.isEmpty() ? quietChecks + 1 : 0;
                TimeUnit.MILLISECONDS.sleep(300);
            }
        }
    }

    /** "group topic-partition committed/end, ..." for every partition not caught up; empty when none. */
    private static String lagging(Admin admin) throws Exception {
        StringBuilder lagging = new StringBuilder();
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
                    lagging.append(group.groupId()).append(' ').append(tp).append(' ').append(at).append('/').append(end).append(", ");
                }
            }
        }
        return lagging.toString();
    }
}
