package io.tributary.platform.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits until a consumer group has committed offsets at or past given targets. This is how a
 * writer learns that a downstream consumer (the store sink, which commits only after its store
 * write) has applied what was produced: read-your-writes (DESIGN.md §6).
 *
 * <p>Targets are "next offsets" as Kafka commits them: for a record produced at offset {@code o}
 * the target is {@code o + 1}. One poller thread serves every concurrent waiter: while anyone
 * waits it asks for the committed offsets of all awaited groups in one request every
 * {@code pollInterval}; while nobody waits it sleeps. Futures complete with {@code true} once the
 * group reached every target, with {@code false} when the timeout passed first or when this
 * object is closed.
 */
public final class ConsumerGroupProgress implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroupProgress.class);
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(15);
    /** Extra time over a wait's timeout before giving up on the poller itself. */
    private static final Duration WAIT_SLACK = Duration.ofSeconds(5);
    /** Upper bound of one offsets request, so that a hung broker cannot stall expiry for long. */
    private static final Duration MAX_FETCH_TIMEOUT = Duration.ofSeconds(5);

    /** Where committed offsets come from: the Admin client in production, a stub in unit tests. */
    @FunctionalInterface
    public interface CommittedOffsets {
        /**
         * The committed next offsets of the requested partitions, by group. Partitions without a
         * committed offset may be absent.
         */
        Map<String, Map<TopicPartition, Long>> fetch(Map<String, Set<TopicPartition>> partitionsByGroup, Duration timeout)
                throws Exception;

        /** Committed offsets read with {@link Admin#listConsumerGroupOffsets(Map)}, all groups in one call. */
        static CommittedOffsets from(Admin admin) {
            Objects.requireNonNull(admin);
            return (partitionsByGroup, timeout) -> {
                Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
                partitionsByGroup.forEach((group, partitions) ->
                        specs.put(group, new ListConsumerGroupOffsetsSpec().topicPartitions(partitions)));
                Map<String, Map<TopicPartition, OffsetAndMetadata>> listed =
                        admin.listConsumerGroupOffsets(specs).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                Map<String, Map<TopicPartition, Long>> committed = new HashMap<>();
                listed.forEach((group, offsets) -> {
                    Map<TopicPartition, Long> byPartition = new HashMap<>();
                    offsets.forEach((tp, om) -> {
                        if (om != null) { // null: nothing committed for that partition yet
                            byPartition.put(tp, om.offset());
                        }
                    });
                    committed.put(group, byPartition);
                });
                return committed;
            };
        }
    }

    private record Waiter(String groupId, Map<TopicPartition, Long> targets, long deadlineNanos,
                          CompletableFuture<Boolean> result) {
        boolean reached(Map<TopicPartition, Long> committed) {
            if (committed == null) {
                return false;
            }
            for (Map.Entry<TopicPartition, Long> target : targets.entrySet()) {
                Long offset = committed.get(target.getKey());
                if (offset == null || offset < target.getValue()) {
                    return false;
                }
            }
            return true;
        }
    }

    private final CommittedOffsets source;
    private final long pollIntervalMillis;
    private final Object lock = new Object();
    private final List<Waiter> waiters = new ArrayList<>(); // guarded by lock
    private boolean closed; // guarded by lock
    private final Thread poller;

    private ConsumerGroupProgress(CommittedOffsets source, Duration pollInterval) {
        this.source = Objects.requireNonNull(source);
        this.pollIntervalMillis = Math.max(1, pollInterval.toMillis());
        this.poller = new Thread(this::pollUntilClosed, "consumer-group-progress");
        this.poller.setDaemon(true);
    }

    /** Starts a poller over {@code admin} (not closed by {@link #close()}) polling every 15 ms while anyone waits. */
    public static ConsumerGroupProgress start(Admin admin) {
        return start(CommittedOffsets.from(admin), DEFAULT_POLL_INTERVAL);
    }

    public static ConsumerGroupProgress start(CommittedOffsets source, Duration pollInterval) {
        ConsumerGroupProgress progress = new ConsumerGroupProgress(source, pollInterval);
        progress.poller.start();
        return progress;
    }

    /**
     * Completes with {@code true} once {@code groupId} has committed, for every partition in
     * {@code targets}, an offset at least the target; with {@code false} if {@code timeout}
     * passes first. Empty targets are reached at once.
     */
    public CompletableFuture<Boolean> awaitCommitted(String groupId, Map<TopicPartition, Long> targets, Duration timeout) {
        Objects.requireNonNull(groupId);
        if (targets.isEmpty()) {
            return CompletableFuture.completedFuture(true);
        }
        Waiter waiter = new Waiter(groupId, Map.copyOf(targets), System.nanoTime() + timeout.toNanos(), new CompletableFuture<>());
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.completedFuture(false);
            }
            waiters.add(waiter);
            if (waiters.size() == 1) {
                lock.notifyAll(); // the poller idles while nobody waits
            }
        }
        return waiter.result();
    }

    /**
     * Blocks the calling (request) thread until {@link #awaitCommitted} completes: true once the
     * group committed past every target, false on timeout, interruption (the interrupt flag is
     * kept) or a failure of the poller itself.
     */
    public boolean committedWithin(String groupId, Map<TopicPartition, Long> targets, Duration timeout) {
        try {
            return awaitCommitted(groupId, targets, timeout).get(timeout.plus(WAIT_SLACK).toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** How many waiters are pending (for metrics and tests). */
    public int pendingWaiters() {
        synchronized (lock) {
            return waiters.size();
        }
    }

    private void pollUntilClosed() {
        boolean lastFetchFailed = false;
        try {
            while (true) {
                List<Waiter> current;
                synchronized (lock) {
                    while (!closed && waiters.isEmpty()) {
                        lock.wait();
                    }
                    if (closed) {
                        return;
                    }
                    current = List.copyOf(waiters);
                }
                Map<String, Map<TopicPartition, Long>> committed = null;
                try {
                    committed = source.fetch(partitionsByGroup(current), fetchTimeout(current));
                    lastFetchFailed = false;
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    // Keep polling until the waiters' deadlines: the broker may come back in time.
                    if (!lastFetchFailed) {
                        LOG.warn("cannot read committed offsets (will retry until waiters time out): {}", e.toString());
                    }
                    lastFetchFailed = true;
                }
                long now = System.nanoTime();
                Map<Waiter, Boolean> outcomes = new HashMap<>();
                for (Waiter w : current) {
                    if (committed != null && w.reached(committed.get(w.groupId()))) {
                        outcomes.put(w, true);
                    } else if (now - w.deadlineNanos() >= 0) {
                        outcomes.put(w, false);
                    }
                }
                synchronized (lock) {
                    // remove before completing, so that a caller woken by its future never still counts as pending
                    waiters.removeIf(w -> outcomes.containsKey(w) || w.result().isDone()); // also drops cancelled waiters
                }
                outcomes.forEach((w, reached) -> w.result().complete(reached));
                synchronized (lock) {
                    if (!closed && !waiters.isEmpty()) {
                        lock.wait(pollIntervalMillis);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            completeRemaining();
        }
    }

    private static Map<String, Set<TopicPartition>> partitionsByGroup(List<Waiter> current) {
        Map<String, Set<TopicPartition>> request = new HashMap<>();
        for (Waiter w : current) {
            request.computeIfAbsent(w.groupId(), g -> new HashSet<>()).addAll(w.targets().keySet());
        }
        return request;
    }

    /** Long enough for one broker round trip, short enough not to overrun the nearest deadline by much. */
    private Duration fetchTimeout(List<Waiter> current) {
        long nearest = Long.MAX_VALUE;
        long now = System.nanoTime();
        for (Waiter w : current) {
            nearest = Math.min(nearest, w.deadlineNanos() - now);
        }
        long millis = Math.max(TimeUnit.NANOSECONDS.toMillis(nearest), pollIntervalMillis);
        return Duration.ofMillis(Math.min(millis, MAX_FETCH_TIMEOUT.toMillis()));
    }

    private void completeRemaining() {
        List<Waiter> remaining;
        synchronized (lock) {
            closed = true;
            remaining = List.copyOf(waiters);
            waiters.clear();
        }
        remaining.forEach(w -> w.result().complete(false));
    }

    /** Stops the poller; pending waiters complete with {@code false}. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        poller.interrupt();
        try {
            poller.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        completeRemaining();
    }
}
