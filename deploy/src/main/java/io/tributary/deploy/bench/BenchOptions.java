package io.tributary.deploy.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code tributary bench} runs: the store, the size of the query data set, and where results go.
 * {@code ingestRecords} is the record count of the baseline and gateway phases (derived from
 * {@code events} unless given), {@code freshnessSeconds} the length of the freshness phase, {@code calls}
 * the calls per pipe (200; the smoke test passes a few). The upload phase POSTs
 * {@code uploadCustomers} customers of {@code uploadDates} dated metric items each, after a warm-up
 * upload of a tenth of that size into another workspace if {@code uploadWarmUp}; with
 * {@code uploadOnly} it is the only phase (besides starting the node and reading its memory).
 * A {@code soak} duration (null: none) makes it a soak run instead: the baseline, sink and gateway
 * maxima, then {@value #SOAK_LOAD_PERCENT}% of the lowest maximum for that long, sampled every minute.
 */
public record BenchOptions(String store, String clickhouseUrl, boolean quick, long events, long ingestRecords, int freshnessSeconds,
                           int calls, Path out, boolean uploadOnly, int uploadCustomers, int uploadDates, boolean uploadWarmUp, Duration soak) {
    public static final long DEFAULT_EVENTS = 10_000_000;
    public static final long QUICK_EVENTS = 1_000_000;
    public static final int CUSTOMERS = 100_000;
    public static final int DEFAULT_CALLS = 200;
    /** Seed 004's acceptance size: 10,000 customers × 200 metric dates; its target: every score queryable within 10 s of the 200. */
    public static final int DEFAULT_UPLOAD_CUSTOMERS = 10_000;
    public static final int DEFAULT_UPLOAD_DATES = 200;
    public static final int QUICK_UPLOAD_CUSTOMERS = 1_000;
    public static final int QUICK_UPLOAD_DATES = 50;
    /** The most metric items a customer of an upload may have (seed 004). */
    public static final int MAX_UPLOAD_DATES = 200;
    public static final double UPLOAD_TARGET_SECONDS = 10;
    /** The soak load, in percent of the lowest measured maximum (issue 8: 70%). */
    public static final int SOAK_LOAD_PERCENT = 70;

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
        if (uploadCustomers < 1) {
            throw new IllegalArgumentException("--upload-customers must be at least 1");
        }
        if (uploadDates < 1 || uploadDates > MAX_UPLOAD_DATES) {
            throw new IllegalArgumentException("--upload-metrics must be between 1 and " + MAX_UPLOAD_DATES + " (an upload's limit per customer)");
        }
        if (soak != null && soak.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("--soak must be at least 1m (it reports per minute), not " + soak.toSeconds() + "s");
        }
        if (soak != null && uploadOnly) {
            throw new IllegalArgumentException("--soak and --upload are separate runs");
        }
    }

    /** Without a soak: every phase, or only the upload. */
    public BenchOptions(String store, String clickhouseUrl, boolean quick, long events, long ingestRecords, int freshnessSeconds,
                        int calls, Path out, boolean uploadOnly, int uploadCustomers, int uploadDates, boolean uploadWarmUp) {
        this(store, clickhouseUrl, quick, events, ingestRecords, freshnessSeconds, calls, out, uploadOnly, uploadCustomers, uploadDates, uploadWarmUp, null);
    }

    public boolean soaking() {
        return soak != null;
    }

    /** A soak duration as the command line gives it: {@code 10m}, {@code 90s}, {@code 1h}, {@code 1h30m}. */
    public static Duration parseDuration(String text) {
        var m = java.util.regex.Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?").matcher(text.trim());
        if (text.isBlank() || !m.matches()) {
            throw new IllegalArgumentException("--soak takes a duration such as 10m, 90s or 1h30m, not '" + text + "'");
        }
        long seconds = 0;
        for (int g = 1; g <= 3; g++) {
            if (m.group(g) != null) {
                seconds += Long.parseLong(m.group(g)) * new long[] {3600, 60, 1}[g - 1];
            }
        }
        return Duration.ofSeconds(seconds);
    }

    /**
     * Customers of the query data set: 100,000, fewer only for runs under 1,000,000 events (one per
     * ten events, at least 1,000), so that tiny runs such as the smoke test stay tiny.
     */
    public int customers() {
        return (int) Math.min(CUSTOMERS, Math.max(1_000, events / 10));
    }

    /** Whether the upload is seed 004's acceptance size, to which its 10 s target applies. */
    public boolean uploadAtAcceptanceSize() {
        return uploadCustomers >= DEFAULT_UPLOAD_CUSTOMERS && uploadDates >= DEFAULT_UPLOAD_DATES;
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
