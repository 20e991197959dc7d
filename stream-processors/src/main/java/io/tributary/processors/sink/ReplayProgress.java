package io.tributary.processors.sink;

import java.time.Duration;
import java.util.Locale;

/**
 * The progress of replaying {@code total} records (Kafka offsets: transaction markers count too)
 * from the moment this was created, as one line: done of total, percent, rate and time left. One
 * wording for the store rebuild's log and {@code tributary replay}'s output.
 */
public record ReplayProgress(long total, long startedNanos) {

    public static ReplayProgress startingNow(long total) {
        return new ReplayProgress(total, System.nanoTime());
    }

    /** E.g. {@code 120,000 of 500,000 records (24%), 41,300 records/s, ETA 9 s}. */
    public String line(long done) {
        double rate = rate(done);
        String eta = done >= total ? "0 s" : rate <= 0 ? "unknown" : format(Duration.ofMillis((long) ((total - done) / rate * 1000)));
        return String.format(Locale.ROOT, "%,d of %,d records (%d%%), %,.0f records/s, ETA %s", done, total,
                total == 0 ? 100 : done * 100 / total, rate, eta);
    }

    /** E.g. {@code 500,000 records in 12.1 s (41,300 records/s)}. */
    public String summary(long done) {
        return String.format(Locale.ROOT, "%,d records in %.1f s (%,.0f records/s)", done, elapsed().toMillis() / 1000.0, rate(done));
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    private double rate(long done) {
        long millis = elapsed().toMillis();
        return millis <= 0 ? 0 : done * 1000.0 / millis;
    }

    private static String format(Duration left) {
        long s = Math.max(1, (left.toMillis() + 999) / 1000);
        return s < 60 ? s + " s" : s < 3600 ? (s / 60) + " min " + (s % 60) + " s" : (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
}
