package io.tributary.processors.health;

import java.util.Map;
import java.util.TreeMap;

/** How many customers of an upload have been scored, of how many, and in which bands. */
public record UploadProgress(int size, int scored, Map<String, Integer> bands) {
    public UploadProgress {
        bands = bands == null ? Map.of() : new TreeMap<>(bands);
    }

    UploadProgress plus(String band) {
        Map<String, Integer> next = new TreeMap<>(bands);
        next.merge(band == null ? "unscored" : band, 1, Integer::sum);
        return new UploadProgress(size, scored + 1, next);
    }

    boolean complete() {
        return scored >= size;
    }
}
