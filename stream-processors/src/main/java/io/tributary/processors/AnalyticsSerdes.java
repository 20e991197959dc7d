package io.tributary.processors;

import io.tributary.schemas.avro.CustomerEvent;
import io.tributary.schemas.avro.CustomerProfile;
import io.tributary.schemas.avro.CustomerSegment;
import io.tributary.schemas.avro.CustomerStats;
import io.tributary.schemas.avro.SegmentMembership;
import io.tributary.schemas.avro.internal.CustomerAggregate;
import io.tributary.schemas.registry.SchemaRegistry;
import io.tributary.schemas.serde.AvroSerdes;
import org.apache.kafka.common.serialization.Serde;

/** The value serdes of the customer-analytics topology (Confluent wire format through the registry). */
public record AnalyticsSerdes(Serde<CustomerEvent> event, Serde<CustomerAggregate> aggregate, Serde<CustomerStats> stats,
                              Serde<CustomerProfile> profile, Serde<CustomerSegment> segment, Serde<SegmentMembership> membership) {

    public static AnalyticsSerdes of(SchemaRegistry registry) {
        return new AnalyticsSerdes(
                AvroSerdes.specificValue(registry, CustomerEvent.class),
                AvroSerdes.specificValue(registry, CustomerAggregate.class),
                AvroSerdes.specificValue(registry, CustomerStats.class),
                AvroSerdes.specificValue(registry, CustomerProfile.class),
                AvroSerdes.specificValue(registry, CustomerSegment.class),
                AvroSerdes.specificValue(registry, SegmentMembership.class));
    }
}
