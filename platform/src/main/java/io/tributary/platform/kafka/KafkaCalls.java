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
}
