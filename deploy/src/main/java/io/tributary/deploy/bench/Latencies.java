package io.tributary.deploy.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds and their nearest-rank percentiles, in milliseconds. */
final class Latencies {
    private long[] samples = new long[256];
    private int size;

    synchronized void add(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    synchronized int count() {
        return size;
    }

    /** The {@code q}-quantile (0..1) by nearest rank, in ms; NaN without samples. */
    synchronized double percentileMs(double q) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
    }

    double maxMs() {
        return percentileMs(1.0);
    }
}
