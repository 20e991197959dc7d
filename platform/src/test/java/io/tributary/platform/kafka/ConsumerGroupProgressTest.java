package io.tributary.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The poller against a stub offsets source that the test moves forward. (Lives in the gateway's
 * tests because the gateway is its first user; the real-broker test is ConsumerGroupProgressIT.)
 */
class ConsumerGroupProgressTest {
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    /** Committed offsets the test sets; records every request and signals each completed poll. */
    private static final class StubOffsets implements ConsumerGroupProgress.CommittedOffsets {
        final Map<String, Map<TopicPartition, Long>> committed = new ConcurrentHashMap<>();
        final List<Map<String, Set<TopicPartition>>> requests = new ArrayList<>();
        final AtomicBoolean failing = new AtomicBoolean();
        volatile CountDownLatch gate = new CountDownLatch(0);
        private final Object polled = new Object();
        private long polls;

        void commit(String group, TopicPartition tp, long offset) {
            committed.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).put(tp, offset);
        }

        @Override
        public Map<String, Map<TopicPartition, Long>> fetch(Map<String, Set<TopicPartition>> request, Duration timeout) throws Exception {
            gate.await();
            try {
                synchronized (requests) {
                    requests.add(Map.copyOf(request));
                }
                if (failing.get()) {
                    throw new IllegalStateException("broker unreachable");
                }
                Map<String, Map<TopicPartition, Long>> answer = new HashMap<>();
                committed.forEach((g, offsets) -> answer.put(g, Map.copyOf(offsets)));
                return answer;
            } finally {
                synchronized (polled) {
                    polls++;
                    polled.notifyAll();
                }
            }
        }

        long polls() {
            synchronized (polled) {
                return polls;
            }
        }

        /** Returns once {@code n} more polls completed after the call. */
        void awaitPolls(int n) throws InterruptedException {
            synchronized (polled) {
                long target = polls + n;
                while (polls < target) {
                    polled.wait();
                }
            }
        }
    }

    private final StubOffsets offsets = new StubOffsets();
    private final ConsumerGroupProgress progress = ConsumerGroupProgress.start(offsets, Duration.ofMillis(5));

    @AfterEach
    void close() {
        progress.close();
    }

    @Test
    void completesOnceEveryPartitionReachedItsTarget() throws Exception {
        CompletableFuture<Boolean> reached = progress.awaitCommitted("g", Map.of(P0, 10L, P1, 5L), LONG);
        offsets.commit("g", P0, 10);
        offsets.commit("g", P1, 4);
        offsets.awaitPolls(2);
        assertThat(reached).isNotDone(); // P1 is one short
        offsets.commit("g", P1, 7);
        assertThat(reached.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void anotherGroupsCommitsDoNotCount() throws Exception {
        CompletableFuture<Boolean> reached = progress.awaitCommitted("g", Map.of(P0, 1L), LONG);
        offsets.commit("other", P0, 100);
        offsets.awaitPolls(2);
        assertThat(reached).isNotDone();
        offsets.commit("g", P0, 1);
        assertThat(reached.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void completesFalseWhenTheTimeoutPassesFirst() throws Exception {
        CompletableFuture<Boolean> reached = progress.awaitCommitted("g", Map.of(P0, 1L), Duration.ofMillis(50));
        assertThat(reached.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(progress.pendingWaiters()).isZero();
    }

    @Test
    void emptyTargetsAreReachedAtOnce() {
        assertThat(progress.awaitCommitted("g", Map.of(), LONG)).isCompletedWithValue(true);
    }

    @Test
    void onePollServesEveryWaiterOfEveryGroup() throws Exception {
        offsets.gate = new CountDownLatch(1); // hold the poller until all waiters are registered
        List<CompletableFuture<Boolean>> waits = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            waits.add(progress.awaitCommitted(i % 2 == 0 ? "a" : "b", Map.of(i % 3 == 0 ? P0 : P1, 3L), LONG));
        }
        offsets.commit("a", P0, 3);
        offsets.commit("a", P1, 3);
        offsets.commit("b", P0, 3);
        offsets.commit("b", P1, 3);
        offsets.gate.countDown();
        CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(waits).allSatisfy(w -> assertThat(w).isCompletedWithValue(true));
        synchronized (offsets.requests) {
            // the first request may have been made for the first waiter alone; the next one served all
            assertThat(offsets.requests).hasSizeLessThanOrEqualTo(2);
            assertThat(offsets.requests.get(offsets.requests.size() - 1))
                    .isEqualTo(Map.of("a", Set.of(P0, P1), "b", Set.of(P0, P1)));
        }
    }

    @Test
    void doesNotPollWhileNobodyWaits() throws Exception {
        progress.awaitCommitted("g", Map.of(P0, 1L), Duration.ofMillis(1)).get(10, TimeUnit.SECONDS);
        long polls = offsets.polls();
        Thread.sleep(200); // 40 poll intervals
        assertThat(offsets.polls()).isEqualTo(polls);
        assertThat(offsets.requests).isNotEmpty();
    }

    @Test
    void keepsPollingThroughFailuresUntilTheGroupCommits() throws Exception {
        offsets.failing.set(true);
        CompletableFuture<Boolean> reached = progress.awaitCommitted("g", Map.of(P0, 1L), LONG);
        offsets.commit("g", P0, 1);
        offsets.awaitPolls(3);
        assertThat(reached).isNotDone();
        offsets.failing.set(false);
        assertThat(reached.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void closeCompletesPendingWaitersWithFalse() throws Exception {
        CompletableFuture<Boolean> reached = progress.awaitCommitted("g", Map.of(P0, 1L), LONG);
        progress.close();
        assertThat(reached.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(progress.awaitCommitted("g", Map.of(P0, 1L), LONG)).isCompletedWithValue(false);
    }

    @Test
    @Timeout(10)
    void aCancelledWaitIsDropped() throws Exception {
        CompletableFuture<Boolean> reached = progress.awaitCommitted("g", Map.of(P0, 1L), LONG);
        reached.cancel(false);
        while (progress.pendingWaiters() > 0) {
            Thread.sleep(1); // dropped at the end of the next poll
        }
        long polls = offsets.polls();
        Thread.sleep(100);
        assertThat(offsets.polls()).isEqualTo(polls);
    }
}
