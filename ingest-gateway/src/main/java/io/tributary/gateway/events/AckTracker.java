package io.tributary.gateway.events;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Tracks the sends of one request until Kafka acknowledged (or failed) each of them, without a
 * future per record: the producer calls back, the tracker counts. The request thread registers
 * every send before making it, then {@link #await awaits} the acknowledgements.
 *
 * <p>Callbacks run on the producer's I/O thread; counters they touch are guarded by this object.
 */
final class AckTracker {

    /** What the request learnt from Kafka. {@code rowNextOffsets}: per partition of the datasource topic, last acknowledged offset + 1. */
    record Summary(long sentRows, long sentQuarantined, long ackedRows, long ackedQuarantined,
                   Optional<Exception> failure, boolean timedOut, Map<TopicPartition, Long> rowNextOffsets) {
        boolean allAcknowledged() {
            return failure.isEmpty() && !timedOut && ackedRows == sentRows && ackedQuarantined == sentQuarantined;
        }

        long acknowledged() {
            return ackedRows + ackedQuarantined;
        }

        long sent() {
            return sentRows + sentQuarantined;
        }
    }

    /** One for the request itself until sealed, plus one per send in flight. */
    private final AtomicInteger pending = new AtomicInteger(1);
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final Map<TopicPartition, Long> rowNextOffsets = new HashMap<>(); // guarded by this
    private long ackedRows; // guarded by this
    private long ackedQuarantined; // guarded by this
    private Exception failure; // guarded by this
    private volatile boolean failed;
    // written by the request thread only
    private long sentRows;
    private long sentQuarantined;

    final Callback rowCallback = (metadata, exception) -> acknowledged(true, metadata, exception);
    final Callback quarantineCallback = (metadata, exception) -> acknowledged(false, metadata, exception);

    /** Call before sending a row to the datasource topic. */
    void sendingRow() {
        sentRows++;
        pending.incrementAndGet();
    }

    /** Call before sending a quarantine record. */
    void sendingQuarantined() {
        sentQuarantined++;
        pending.incrementAndGet();
    }

    /** A send that threw instead of calling back (its callback will never run). */
    void sendThrew(Exception e) {
        acknowledged(false, null, e);
    }

    /** Whether any send failed: the request should stop sending. */
    boolean failed() {
        return failed;
    }

    /**
     * Call once, after the last send: waits, at most {@code timeout}, until every send was
     * acknowledged or failed.
     */
    Summary await(Duration timeout) throws InterruptedException {
        release(); // the request's own share: from now on the last ack completes the tracker
        boolean timedOut = false;
        try {
            done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            timedOut = true;
        } catch (ExecutionException e) {
            throw new IllegalStateException("the tracker never fails its future", e);
        }
        synchronized (this) {
            return new Summary(sentRows, sentQuarantined, ackedRows, ackedQuarantined, Optional.ofNullable(failure),
                    timedOut, Map.copyOf(rowNextOffsets));
        }
    }

    private void acknowledged(boolean row, RecordMetadata metadata, Exception exception) {
        synchronized (this) {
            if (exception != null) {
                if (failure == null) {
                    failure = exception;
                }
                failed = true;
            } else if (row) {
                ackedRows++;
                rowNextOffsets.merge(new TopicPartition(metadata.topic(), metadata.partition()), metadata.offset() + 1, Math::max);
            } else {
                ackedQuarantined++;
            }
        }
        release();
    }

    private void release() {
        if (pending.decrementAndGet() == 0) {
            done.complete(null);
        }
    }
}
