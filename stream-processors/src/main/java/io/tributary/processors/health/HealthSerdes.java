package io.tributary.processors.health;

import io.tributary.platform.health.HealthSettings;
import io.tributary.platform.health.HealthSettingsStore;
import io.tributary.platform.kafka.JsonSerde;
import io.tributary.schemas.avro.CustomerMetrics;
import io.tributary.schemas.avro.HealthScore;
import io.tributary.schemas.avro.Notification;
import io.tributary.schemas.registry.SchemaRegistry;
import io.tributary.schemas.serde.AvroSerdes;
import org.apache.kafka.common.serialization.Serde;

/** The serdes of the health-score application: Avro for its topics, JSON for its internal records and stores. */
public record HealthSerdes(Serde<CustomerMetrics> metrics, Serde<HealthScore> score, Serde<Notification> notification,
                           Serde<HealthSettings> settings, Serde<HealthInput> input, Serde<CustomerHealthState> state,
                           Serde<UploadProgress> progress) {

    public static HealthSerdes of(SchemaRegistry registry) {
        return new HealthSerdes(
                AvroSerdes.specificValue(registry, CustomerMetrics.class),
                AvroSerdes.specificValue(registry, HealthScore.class),
                AvroSerdes.specificValue(registry, Notification.class),
                HealthSettingsStore.serde(),
                new JsonSerde<>(HealthInput.class),
                new JsonSerde<>(CustomerHealthState.class),
                new JsonSerde<>(UploadProgress.class));
    }
}
