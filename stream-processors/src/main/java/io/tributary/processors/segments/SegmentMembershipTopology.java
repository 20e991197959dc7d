package io.tributary.processors.segments;

import io.tributary.processors.AnalyticsSerdes;
import io.tributary.processors.StateStores;
import io.tributary.processors.stats.CustomerStatsTopology;
import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.CustomerSegment;
import io.tributary.schemas.avro.CustomerStats;
import io.tributary.schemas.avro.SegmentMembership;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Live segment membership: statistics changes, customer_profiles (compacted, keyed
 * workspace|customer like the statistics, so co-partitioned) and customer_segments (keyed
 * workspace|segment, multicast to every partition through the repartition topic
 * {@value #BROADCAST}) feed {@link SegmentMembershipProcessor}, which writes enter/exit records
 * to segment_membership (key workspace|customer).
 */
public final class SegmentMembershipTopology {
    public static final String BROADCAST = "segments-broadcast";
    public static final String PROFILES_STORE = "membership-profiles";
    public static final String SEGMENTS_STORE = "membership-segments";
    public static final String MEMBERS_STORE = "segment-members";

    private SegmentMembershipTopology() {
    }

    public static void addTo(StreamsBuilder builder, KStream<String, CustomerStats> statsChanges, AnalyticsSerdes serdes,
                             StateStores stores) {
        builder.addStateStore(store(PROFILES_STORE, serdes.profile(), stores));
        builder.addStateStore(store(SEGMENTS_STORE, serdes.segment(), stores));
        builder.addStateStore(store(MEMBERS_STORE, serdes.membership(), stores));

        KStream<String, MembershipInput> stats = statsChanges
                .mapValues(MembershipInput.StatsChanged::new, Named.as("stats-as-membership-input"));
        KStream<String, MembershipInput> profiles = builder.stream(Topics.CUSTOMER_PROFILES,
                        Consumed.with(Serdes.String(), serdes.profile()).withName("customer-profiles"))
                .mapValues(MembershipInput.ProfileChanged::new, Named.as("profiles-as-membership-input"));
        KStream<String, MembershipInput> segments = builder.stream(Topics.CUSTOMER_SEGMENTS,
                        Consumed.with(Serdes.String(), serdes.segment()).withName("customer-segments"))
                .repartition(Repartitioned.<String, CustomerSegment>as(BROADCAST)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(serdes.segment())
                        .withStreamPartitioner(new AllPartitions<>()))
                .mapValues(MembershipInput.SegmentChanged::new, Named.as("segments-as-membership-input"));

        stats.merge(profiles, Named.as("merge-stats-profiles"))
                .merge(segments, Named.as("merge-segments"))
                .process(SegmentMembershipProcessor::new, Named.as("evaluate-segment-membership"),
                        CustomerStatsTopology.AGGREGATES_STORE, PROFILES_STORE, SEGMENTS_STORE, MEMBERS_STORE)
                .to(Topics.SEGMENT_MEMBERSHIP, Produced.with(Serdes.String(), serdes.membership()).withName("segment-membership"));
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> serde, StateStores stores) {
        return Stores.keyValueStoreBuilder(stores.keyValue(name), Serdes.String(), serde);
    }
}
