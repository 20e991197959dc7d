package io.tributary.platform.kafka;

import java.util.Map;

/** A topic Tributary needs: name, partitions and topic-level configs (e.g. cleanup.policy). */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {
    public TopicSpec {
        configs = Map.copyOf(configs);
    }

    /**
     * A history topic: kept whole ({@code retention.ms=-1}) because the store is rebuilt by replaying
     * topics from offset zero (--rebuild-store); operators who want less set retention themselves.
     */
    public static TopicSpec appendOnly(String name, int partitions) {
        return new TopicSpec(name, partitions, Map.of("retention.ms", "-1"));
    }

    public static TopicSpec compacted(String name, int partitions) {
        return new TopicSpec(name, partitions, Map.of("cleanup.policy", "compact"));
    }

    /**
     * A compacted topic where a superseded value survives at most about {@code within} (plus the
     * log cleaner's backoff): segments roll at least that often and are compacted once that old
     * (KIP-354), so data a newer version removed (scrubbed PII) does not linger in old segments.
     */
    public static TopicSpec compactedWithin(String name, int partitions, java.time.Duration within) {
        String ms = Long.toString(within.toMillis());
        return new TopicSpec(name, partitions, Map.of("cleanup.policy", "compact", "segment.ms", ms, "max.compaction.lag.ms", ms,
                "min.cleanable.dirty.ratio", "0.01"));
    }
}
