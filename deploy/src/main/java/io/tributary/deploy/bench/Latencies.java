package io.tributary.deploy.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

    /** The {@code k} slowest samples as {call number (1-based, in order of adding), ms}, slowest first. */
    synchronized List<List<Number>> slowest(int k) {
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(samples[b], samples[a]));
        List<List<Number>> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, size); i++) {
            out.add(List.of(order[i] + 1, Math.round(samples[order[i]] / 1e4) / 100.0));
        }
        return out;
    }

    double maxMs() {
        return percentileMs(1.0);
    }
}
