package io.tributary.gateway.events;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of the Events API.
 *
 * @param maxBodyBytes    largest request body as sent (compressed or not); Tinybird's limit is 10 MiB
 * @param maxDecodedBytes largest body after gzip decompression (guards against zip bombs)
 * @param maxStringChars  longest value of one string field, in characters
 * @param ackTimeout      how long to wait for Kafka to acknowledge every row of a request
 * @param waitTimeout     how long {@code wait=true} waits for the store sink to commit past the rows
 * @param maxRows         most rows (non-blank lines) one request may hold; more is a 413 before any row is sent,
 *                        so that a body of tiny bad lines cannot turn into millions of quarantine records
 * @param maxRowBytes     longest row (one NDJSON line, or the one multi-line object), in bytes; a longer row is
 *                        quarantined with that reason without being parsed
 */
public record EventsLimits(long maxBodyBytes, long maxDecodedBytes, int maxStringChars, Duration ackTimeout,
                           Duration waitTimeout, int maxRows, int maxRowBytes) {
    public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;
    public static final long DEFAULT_MAX_DECODED_BYTES = 5 * DEFAULT_MAX_BODY_BYTES;
    public static final int DEFAULT_MAX_STRING_CHARS = 16 * 1024;
    public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_WAIT_TIMEOUT = Duration.ofSeconds(10);
    /** A valid row is never under ~60 bytes, so 10 MiB of real rows stays below this. */
    public static final int DEFAULT_MAX_ROWS = 200_000;
    public static final int DEFAULT_MAX_ROW_BYTES = 1024 * 1024;
    /** Bodies live in one byte array. */
    private static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 16;

    public EventsLimits {
        Objects.requireNonNull(ackTimeout);
        Objects.requireNonNull(waitTimeout);
        if (maxBodyBytes <= 0 || maxBodyBytes > MAX_ARRAY_BYTES) {
            throw new IllegalArgumentException("maxBodyBytes must be in 1.." + MAX_ARRAY_BYTES + ": " + maxBodyBytes);
        }
        if (maxDecodedBytes <= 0 || maxDecodedBytes > MAX_ARRAY_BYTES) {
            throw new IllegalArgumentException("maxDecodedBytes must be in 1.." + MAX_ARRAY_BYTES + ": " + maxDecodedBytes);
        }
        if (maxStringChars <= 0) {
            throw new IllegalArgumentException("maxStringChars must be positive: " + maxStringChars);
        }
        if (maxRows <= 0 || maxRowBytes <= 0) {
            throw new IllegalArgumentException("maxRows and maxRowBytes must be positive: " + maxRows + ", " + maxRowBytes);
        }
        if (ackTimeout.isNegative() || ackTimeout.isZero() || waitTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    public static EventsLimits defaults() {
        return new EventsLimits(DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_DECODED_BYTES, DEFAULT_MAX_STRING_CHARS,
                DEFAULT_ACK_TIMEOUT, DEFAULT_WAIT_TIMEOUT,
                DEFAULT_MAX_ROWS, DEFAULT_MAX_ROW_BYTES);
    }

    public EventsLimits withMaxBodyBytes(long bytes) {
        return new EventsLimits(bytes, maxDecodedBytes, maxStringChars, ackTimeout, waitTimeout, maxRows, maxRowBytes);
    }

    public EventsLimits withMaxDecodedBytes(long bytes) {
        return new EventsLimits(maxBodyBytes, bytes, maxStringChars, ackTimeout, waitTimeout, maxRows, maxRowBytes);
    }

    public EventsLimits withMaxStringChars(int chars) {
        return new EventsLimits(maxBodyBytes, maxDecodedBytes, chars, ackTimeout, waitTimeout, maxRows, maxRowBytes);
    }

    public EventsLimits withAckTimeout(Duration timeout) {
        return new EventsLimits(maxBodyBytes, maxDecodedBytes, maxStringChars, timeout, waitTimeout, maxRows, maxRowBytes);
    }

    public EventsLimits withWaitTimeout(Duration timeout) {
        return new EventsLimits(maxBodyBytes, maxDecodedBytes, maxStringChars, ackTimeout, timeout, maxRows, maxRowBytes);
    }

    public EventsLimits withMaxRows(int rows) {
        return new EventsLimits(maxBodyBytes, maxDecodedBytes, maxStringChars, ackTimeout, waitTimeout, rows, maxRowBytes);
    }

    public EventsLimits withMaxRowBytes(int bytes) {
        return new EventsLimits(maxBodyBytes, maxDecodedBytes, maxStringChars, ackTimeout, waitTimeout, maxRows, bytes);
    }
}
