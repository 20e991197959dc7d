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
}
