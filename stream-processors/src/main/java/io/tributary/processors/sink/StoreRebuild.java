package io.tributary.processors.sink;

import io.tributary.platform.kafka.ConsumerGroups;
import io.tributary.platform.store.AnalyticsStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the store from Kafka: the topics are the system of record, the store is derived. Before
 * the sinks start, {@link #prepare} deletes the sinks' consumer groups (so they start again from
 * offset zero, {@code auto.offset.reset=earliest}) and then empties their tables. The order matters:
 * a crash between the two steps leaves a full store that the replay rewrites idempotently, never an
 * empty store with committed offsets. {@link #awaitCaughtUp} then reports progress until every sink
 * has committed the end offsets the topics had when the rebuild began.
 */
public final class StoreRebuild {
    private static final Logger LOG = LoggerFactory.getLogger(StoreRebuild.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;
    private final Map<String, Map<TopicPartition, Long>> targetsByGroup;
    private final ReplayProgress progress;

    private StoreRebuild(Admin admin, Map<String, Map<TopicPartition, Long>> targetsByGroup) {
        this.admin = admin;
        this.targetsByGroup = targetsByGroup;
        this.progress = ReplayProgress.startingNow(
                targetsByGroup.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum());
    }

    /**
     * Resets the sinks of {@code sinks} and empties their tables. Fails, changing nothing, when a
     * sink's consumer group still has members (another processors process is running).
     */
    public static StoreRebuild prepare(Admin admin, AnalyticsStore store, List<SinkDefinition<?>> sinks) {
        List<String> groups = sinks.stream().map(s -> ConsumerGroups.sink(s.topic())).toList();
        try {
            Map<String, ConsumerGroupDescription> described = admin.describeConsumerGroups(groups).all()
                    .get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            List<String> busy = described.values().stream().filter(d -> !d.members().isEmpty()).map(ConsumerGroupDescription::groupId).toList();
            if (!busy.isEmpty()) {
                throw new IllegalStateException("cannot rebuild the store: consumer groups " + busy
                        + " have active members; stop every other processors process first");
            }
            Map<String, Map<TopicPartition, Long>> targets = new HashMap<>();
            for (SinkDefinition<?> sink : sinks) {
                targets.put(ConsumerGroups.sink(sink.topic()),
                        StoreReplay.offsets(admin, sink.topic(), OffsetSpec.latest(), IsolationLevel.READ_UNCOMMITTED));
            }
            for (String group : groups) {
                deleteGroup(admin, group);
            }
            for (SinkDefinition<?> sink : sinks) {
                store.truncate(sink.table());
            }
            StoreRebuild rebuild = new StoreRebuild(admin, targets);
            LOG.info("store rebuild: emptied tables {}, reset sink groups {}; replaying {} records from offset zero",
                    sinks.stream().map(s -> s.table().name()).toList(), groups, rebuild.totalRecords());
            return rebuild;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing the store rebuild", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot prepare the store rebuild: " + e.getMessage(), e);
        }
    }

    /** Records the sinks must replay: the topics' end offsets when the rebuild began (compacted topics hold fewer). */
    public long totalRecords() {
        return progress.total();
    }

    /**
     * Logs progress every {@code every} until every sink group has committed its target offsets;
     * returns false if {@code timeout} passes first.
     */
    public boolean awaitCaughtUp(Duration every, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long replayed = replayed();
            if (replayed >= progress.total()) {
                LOG.info("store rebuild: done, {} replayed", progress.summary(replayed));
                return true;
            }
            LOG.info("store rebuild: {} replayed", progress.line(replayed));
            if (System.nanoTime() >= deadline) {
                return false;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(every.toNanos(), Math.max(1, deadline - System.nanoTime())));
        }
    }

    /** Committed offsets so far, capped per partition at the target (records written after the rebuild began don't count). */
    private long replayed() throws InterruptedException {
        long replayed = 0;
        for (Map.Entry<String, Map<TopicPartition, Long>> group : targetsByGroup.entrySet()) {
            Map<TopicPartition, OffsetAndMetadata> committed;
            try {
                committed = admin.listConsumerGroupOffsets(group.getKey()).partitionsToOffsetAndMetadata()
                        .get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.debug("store rebuild: cannot read offsets of {}: {}", group.getKey(), e.toString());
                continue;
            }
            for (Map.Entry<TopicPartition, Long> target : group.getValue().entrySet()) {
                OffsetAndMetadata offset = committed.get(target.getKey());
                replayed += offset == null ? 0 : Math.min(offset.offset(), target.getValue());
            }
        }
        return replayed;
    }

    private static void deleteGroup(Admin admin, String group) throws InterruptedException, TimeoutException, ExecutionException {
        try {
            admin.deleteConsumerGroups(List.of(group)).all().get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return; // never committed: nothing to reset
            }
            if (e.getCause() instanceof GroupNotEmptyException) {
                throw new IllegalStateException("cannot rebuild the store: consumer group " + group
                        + " gained a member meanwhile; stop every other processors process first", e);
            }
            throw e;
        }
    }
}
