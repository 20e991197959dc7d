package io.tributary.processors.health;

import java.util.Map;
import java.util.TreeMap;

/** How many customers of an upload have arrived and been scored, of how many, and in which bands. */
public record UploadProgress(int size, int received, int scored, Map<String, Integer> bands) {
    public UploadProgress {
        bands = bands == null ? Map.of() : new TreeMap<>(bands);
    }

    UploadProgress plus(String band) {
        Map<String, Integer> next = new TreeMap<>(bands);
        next.merge(band == null ? "unscored" : band, 1, Integer::sum);
        return new UploadProgress(size, received, scored + 1, next);
    }

    UploadProgress oneMoreReceived() {
        return new UploadProgress(size, received + 1, scored, bands);
    }

    boolean allReceived() {
        return received >= size;
    }

    boolean complete() {
        return scored >= size;
    }
}
