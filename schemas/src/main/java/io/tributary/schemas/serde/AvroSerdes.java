package io.tributary.schemas.serde;

import io.tributary.schemas.registry.SchemaRegistry;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.avro.specific.SpecificRecord;

/** Named serdes for Kafka clients and Kafka Streams. */
public final class AvroSerdes {
    private AvroSerdes() {
    }

    /** Value serde for a generated class. */
    public static <T extends SpecificRecord> Serde<T> specificValue(SchemaRegistry registry, Class<T> type) {
        return Serdes.serdeFrom(new AvroSerializer<>(registry, false), AvroDeserializer.specific(registry, type));
    }
}
