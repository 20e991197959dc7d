package io.tributary.processors.stats;

import io.tributary.processors.AnalyticsSerdes;
import io.tributary.processors.StateStores;
import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.CustomerEvent;
import io.tributary.schemas.avro.CustomerStats;
import io.tributary.schemas.avro.internal.CustomerAggregate;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;

/**
 * customer_events → drop replayed event ids → per-customer running aggregate (store
 * {@value #AGGREGATES_STORE}) → customer_stats. Input and output are keyed
 * {@code workspace_id|customer_id}, so no repartitioning is needed.
 */
public final class CustomerStatsTopology {
    public static final String SEEN_EVENT_IDS_STORE = "seen-event-ids";
    /** Key workspace|customer → {@link CustomerAggregate}; the membership topology reads it too. */
    public static final String AGGREGATES_STORE = "customer-aggregates";

    private CustomerStatsTopology() {
    }

    /**
     * Adds the statistics to {@code builder} and returns the stream of statistics changes (one per
     * counted event, also written to customer_stats).
     */
    public static KStream<String, CustomerStats> addTo(StreamsBuilder builder, AnalyticsSerdes serdes, Duration dedupRetention,
                                                       StateStores stores) {
        builder.addStateStore(seenEventIdsStore(dedupRetention, stores));
        KStream<String, CustomerStats> changes = builder.stream(Topics.CUSTOMER_EVENTS,
                        Consumed.with(Serdes.String(), serdes.event()).withName("customer-events"))
                .processValues(() -> new DropReplayedEvents(SEEN_EVENT_IDS_STORE, dedupRetention),
                        Named.as("drop-replayed-events"), SEEN_EVENT_IDS_STORE)
                .groupByKey(Grouped.with("events-by-customer", Serdes.String(), serdes.event()))
                .aggregate(CustomerStatsAggregator::empty,
                        (key, event, aggregate) -> CustomerStatsAggregator.apply(event, aggregate),
                        Named.as("aggregate-customer"),
                        Materialized.<String, CustomerAggregate>as(stores.keyValue(AGGREGATES_STORE))
                                .withKeySerde(Serdes.String())
                                .withValueSerde(serdes.aggregate()))
                .toStream(Named.as("customer-aggregate-changes"))
                .mapValues(CustomerAggregate::getStats, Named.as("customer-stats-of-aggregate"));
        changes.to(Topics.CUSTOMER_STATS, Produced.with(Serdes.String(), serdes.stats()).withName("customer-stats"));
        return changes;
    }

    private static StoreBuilder<WindowStore<String, Long>> seenEventIdsStore(Duration retention, StateStores stores) {
        // One window per retention: an id is remembered for `retention` after it was first seen.
        WindowBytesStoreSupplier supplier = stores == StateStores.PERSISTENT
                ? Stores.persistentWindowStore(SEEN_EVENT_IDS_STORE, retention, retention, false)
                : Stores.inMemoryWindowStore(SEEN_EVENT_IDS_STORE, retention, retention, false);
        return Stores.windowStoreBuilder(supplier, Serdes.String(), Serdes.Long());
    }
}
