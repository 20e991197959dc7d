package io.tributary.processors;

import io.tributary.processors.segments.SegmentMembershipTopology;
import io.tributary.processors.stats.CustomerStatsTopology;
import io.tributary.schemas.avro.CustomerStats;
import java.time.Duration;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;

/**
 * The customer-analytics Kafka Streams application: running per-customer statistics
 * ({@link CustomerStatsTopology}) and live segment membership over them
 * ({@link SegmentMembershipTopology}). One application, because membership reads the statistics
 * store of the same task (both keyed workspace|customer, co-partitioned).
 */
public final class CustomerAnalyticsTopology {
    private CustomerAnalyticsTopology() {
    }

    public static Topology build(AnalyticsSerdes serdes, Duration dedupRetention, StateStores stores) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, CustomerStats> statsChanges = CustomerStatsTopology.addTo(builder, serdes, dedupRetention, stores);
        SegmentMembershipTopology.addTo(builder, statsChanges, serdes, stores);
        return builder.build();
    }
}
