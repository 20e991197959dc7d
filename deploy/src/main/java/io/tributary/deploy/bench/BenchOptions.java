package io.tributary.deploy.bench;

import java.nio.file.Path;

/**
 * What {@code tributary bench} runs: the store, the size of the query data set, and where results go.
 * {@code ingestRecords} is the record count of the baseline and gateway phases (derived from
 * {@code events} unless given), {@code freshnessSeconds} the length of the freshness phase, {@code calls}
 * the calls per pipe (200; the smoke test passes a few).
 */
public record BenchOptions(String store, String clickhouseUrl, boolean quick, long events, long ingestRecords, int freshnessSeconds,
                           int calls, Path out) {
    public static final long DEFAULT_EVENTS = 10_000_000;
    public static final long QUICK_EVENTS = 1_000_000;
    public static final int CUSTOMERS = 100_000;
    public static final int DEFAULT_CALLS = 200;

    public BenchOptions {
        if (!store.equals("duckdb") && !store.equals("clickhouse")) {
            throw new IllegalArgumentException("--store must be duckdb or clickhouse, not " + store);
        }
        if (calls < 1) {
            throw new IllegalArgumentException("--calls must be at least 1");
        }
        if (events < 1_000) {
            throw new IllegalArgumentException("--events must be at least 1000");
        }
    }

    /**
     * Customers of the query data set: 100,000, fewer only for runs under 1,000,000 events (one per
     * ten events, at least 1,000), so that tiny runs such as the smoke test stay tiny.
     */
    public int customers() {
        return (int) Math.min(CUSTOMERS, Math.max(1_000, events / 10));
    }

    /** The record count of the baseline and gateway phases when not given: a tenth of the events, 20,000 to 1,000,000. */
    static long defaultIngest(long events) {
        return Math.max(20_000, Math.min(1_000_000, events / 10));
    }

    /** Seconds of steady load in the freshness phase when not given. */
    static int defaultFreshnessSeconds(long events) {
        return events >= DEFAULT_EVENTS ? 30 : events >= QUICK_EVENTS ? 20 : 5;
    }
}
