package io.tributary.processors.health;

import io.tributary.platform.health.HealthSettingsStore;
import io.tributary.processors.StateStores;
import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.HealthScore;
import io.tributary.schemas.avro.Notification;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The health-score application (seed 004): uploaded customers (customer_metrics, reduced to their
 * latest values) and workspace settings ({@value HealthSettingsStore#TOPIC}) are re-keyed by
 * workspace into one repartition topic, {@value #BY_WORKSPACE}, so that a workspace's settings and
 * all its customers meet in one task; {@link HealthScoreProcessor} scores them and writes
 * health_scores (key workspace|external_id) and notifications (key workspace|upload_id).
 */
public final class HealthScoreTopology {
    public static final String BY_WORKSPACE = "health-by-workspace";
    public static final String SETTINGS_STORE = "health-settings";
    public static final String CUSTOMERS_STORE = "health-customers";
    public static final String UPLOADS_STORE = "health-uploads";

    private HealthScoreTopology() {
    }

    public static Topology build(HealthSerdes serdes, StateStores stores) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(store(SETTINGS_STORE, serdes.settings(), stores));
        builder.addStateStore(store(CUSTOMERS_STORE, serdes.state(), stores));
        builder.addStateStore(store(UPLOADS_STORE, serdes.progress(), stores));

        KStream<String, HealthInput> uploads = builder.stream(Topics.CUSTOMER_METRICS,
                        Consumed.with(Serdes.String(), serdes.metrics()).withName("customer-metrics"))
                .filter((key, upload) -> upload != null, Named.as("skip-empty-uploads"))
                .map((key, upload) -> org.apache.kafka.streams.KeyValue.pair(upload.getWorkspaceId(), HealthInput.of(UploadedCustomer.of(upload))),
                        Named.as("upload-latest-values-by-workspace"));
        KStream<String, HealthInput> settings = builder.stream(HealthSettingsStore.TOPIC,
                        Consumed.with(Serdes.String(), serdes.settings()).withName("health-settings-changes"))
                .filter((workspace, s) -> workspace != null && s != null, Named.as("skip-settings-tombstones"))
                .mapValues(HealthInput::of, Named.as("settings-as-health-input"));

        KStream<String, SpecificRecord> out = uploads.merge(settings, Named.as("merge-uploads-settings"))
                .repartition(Repartitioned.<String, HealthInput>as(BY_WORKSPACE).withKeySerde(Serdes.String()).withValueSerde(serdes.input()))
                .process(HealthScoreProcessor::new, Named.as("score-customer-health"), SETTINGS_STORE, CUSTOMERS_STORE, UPLOADS_STORE);
        out.filter((key, value) -> value instanceof HealthScore, Named.as("health-scores-only"))
                .mapValues(value -> (HealthScore) value, Named.as("as-health-score"))
                .to(Topics.HEALTH_SCORES, Produced.with(Serdes.String(), serdes.score()).withName("health-scores"));
        out.filter((key, value) -> value instanceof Notification, Named.as("notifications-only"))
                .mapValues(value -> (Notification) value, Named.as("as-notification"))
                .to(Topics.NOTIFICATIONS, Produced.with(Serdes.String(), serdes.notification()).withName("notifications"));
        return builder.build();
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> serde, StateStores stores) {
        return Stores.keyValueStoreBuilder(stores.keyValue(name), Serdes.String(), serde);
    }
}
