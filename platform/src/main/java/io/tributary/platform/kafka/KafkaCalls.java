package io.tributary.platform.kafka;

import io.tributary.platform.http.ApiException;
import java.util.function.Supplier;
import org.apache.kafka.common.KafkaException;

/** Runs a request's call to Kafka: when Kafka does not answer in time the client gets 503 with Retry-After, not a 500. */
public final class KafkaCalls {
    public static final int RETRY_AFTER_SECONDS = 5;

    private KafkaCalls() {
    }

    /** {@code what} names the call for the client, e.g. "the token store". */
    public static <T> T orUnavailable(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (KafkaException e) {
            throw ApiException.serviceUnavailable(what + " (Kafka) did not answer in time (" + e.getClass().getSimpleName()
                    + "); a write may or may not have been applied: read, then retry", RETRY_AFTER_SECONDS);
        }
    }

    /**
     * Waits for a send's acknowledgement until {@code deadlineNanos} (System.nanoTime): the record's
     * place, or a KafkaException naming {@code topic} (a TimeoutException past the deadline).
     */
    public static org.apache.kafka.clients.producer.RecordMetadata awaitAck(
            java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> sent, long deadlineNanos, String topic) {
        try {
            return sent.get(Math.max(1, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while writing to " + topic, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof KafkaException ke ? ke : new KafkaException("cannot write to " + topic, e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException("no acknowledgement for a write to " + topic + " in time");
        }
    }
}
