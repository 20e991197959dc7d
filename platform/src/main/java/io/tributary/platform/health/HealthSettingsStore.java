package io.tributary.platform.health;

import io.tributary.platform.kafka.CompactedTopicTable;
import io.tributary.platform.kafka.JsonSerde;
import io.tributary.platform.kafka.KafkaClients;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every workspace's {@link HealthSettings}, in the compacted topic {@value #TOPIC} (JSON, keyed by
 * workspace id), which the gateway (upload validation, 490), the query role (settings reads) and the
 * health-score topology (scoring) all read. Writes are read-modify-writes of the whole record under
 * this process's lock, after reading the topic to its end.
 */
public final class HealthSettingsStore implements AutoCloseable {
    public static final String TOPIC = "_tributary_health_settings";

    private final CompactedTopicTable<String, HealthSettings> table;
    private final Clock clock;

    private HealthSettingsStore(CompactedTopicTable<String, HealthSettings> table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    public static HealthSettingsStore start(KafkaClients clients, short replicationFactor, Duration timeout, Clock clock) {
        CompactedTopicTable<String, HealthSettings> table = new CompactedTopicTable<>(clients, TOPIC, replicationFactor,
                Serdes.String(), serde(), timeout);
        table.start();
        return new HealthSettingsStore(table, clock);
    }

    public static JsonSerde<HealthSettings> serde() {
        return new JsonSerde<>(HealthSettings.class);
    }

    /** The workspace's settings as this process last saw them (empty settings when it has none). */
    public HealthSettings get(String workspaceId) {
        return table.get(workspaceId).orElse(HealthSettings.empty(workspaceId));
    }

    /** As {@link #get}, after reading the topic to its end: every write made so far by any process. */
    public HealthSettings latest(String workspaceId) {
        table.readToEnd();
        return get(workspaceId);
    }

    /** Applies {@code change} (given the update time) to the workspace's latest settings and writes the result. */
    public synchronized HealthSettings update(String workspaceId, java.util.function.BiFunction<HealthSettings, Long, HealthSettings> change) {
        HealthSettings next = change.apply(latest(workspaceId), clock.millis());
        table.put(workspaceId, next);
        return next;
    }

    @Override
    public void close() {
        table.close();
    }
}
