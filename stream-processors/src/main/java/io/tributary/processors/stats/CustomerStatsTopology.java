package io.tributary.processors.stats;

import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.CustomerEvent;
import io.tributary.schemas.avro.CustomerStats;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;

/**
 * customer_events → drop replayed event ids → per-customer running statistics → customer_stats.
 * Input and output are keyed {@code workspace_id|customer_id}, so no repartitioning is needed.
 */
public final class CustomerStatsTopology {
    public static final String SEEN_EVENT_IDS_STORE = "seen-event-ids";
    public static final String STATS_STORE = "customer-stats";

    /** Persistent (RocksDB) stores in production; in-memory ones for TopologyTestDriver tests. */
    public enum StateStores { PERSISTENT, IN_MEMORY }

    private CustomerStatsTopology() {
    }

    public static Topology build(Serde<CustomerEvent> eventSerde, Serde<CustomerStats> statsSerde,
                                 Duration dedupRetention, StateStores stores) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(seenEventIdsStore(dedupRetention, stores));

        builder.stream(Topics.CUSTOMER_EVENTS, Consumed.with(Serdes.String(), eventSerde).withName("customer-events"))
                .processValues(() -> new DropReplayedEvents(SEEN_EVENT_IDS_STORE, dedupRetention),
                        Named.as("drop-replayed-events"), SEEN_EVENT_IDS_STORE)
                .groupByKey(Grouped.with("events-by-customer", Serdes.String(), eventSerde))
                .aggregate(CustomerStatsAggregator::empty,
                        (key, event, stats) -> CustomerStatsAggregator.apply(event, stats),
                        Named.as("aggregate-customer-stats"),
                        Materialized.<String, CustomerStats>as(statsStore(stores))
                                .withKeySerde(Serdes.String())
                                .withValueSerde(statsSerde))
                .toStream(Named.as("customer-stats-changes"))
                .to(Topics.CUSTOMER_STATS, Produced.with(Serdes.String(), statsSerde).withName("customer-stats"));
        return builder.build();
    }

    private static StoreBuilder<WindowStore<String, Long>> seenEventIdsStore(Duration retention, StateStores stores) {
        // One window per retention: an id is remembered for `retention` after it was first seen.
        WindowBytesStoreSupplier supplier = stores == StateStores.PERSISTENT
                ? Stores.persistentWindowStore(SEEN_EVENT_IDS_STORE, retention, retention, false)
                : Stores.inMemoryWindowStore(SEEN_EVENT_IDS_STORE, retention, retention, false);
        return Stores.windowStoreBuilder(supplier, Serdes.String(), Serdes.Long());
    }

    private static KeyValueBytesStoreSupplier statsStore(StateStores stores) {
        return stores == StateStores.PERSISTENT
                ? Stores.persistentKeyValueStore(STATS_STORE)
                : Stores.inMemoryKeyValueStore(STATS_STORE);
    }
}
