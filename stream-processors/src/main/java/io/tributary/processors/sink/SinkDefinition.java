package io.tributary.processors.sink;

import io.tributary.platform.store.StoreTable;
import io.tributary.platform.store.StoreTables;
import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.CustomerEvent;
import io.tributary.schemas.avro.CustomerStats;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * What a store sink moves: records of {@code type} from {@code topic} into {@code table}
 * (columns filled by field name, see AvroRows). {@code freshnessField} names the timestamp used
 * to measure end-to-end freshness (store write time − that field), if the record has one.
 */
public record SinkDefinition<T extends SpecificRecord>(String name, String topic, Class<T> type, StoreTable table, String freshnessField) {
    public SinkDefinition {
        Objects.requireNonNull(name);
        Objects.requireNonNull(topic);
        Objects.requireNonNull(type);
        Objects.requireNonNull(table);
    }

    public static final SinkDefinition<CustomerEvent> CUSTOMER_EVENTS = new SinkDefinition<>(
            "customer_events", Topics.CUSTOMER_EVENTS, CustomerEvent.class, StoreTables.CUSTOMER_EVENTS, "ingested_at");

    public static final SinkDefinition<CustomerStats> CUSTOMER_STATS = new SinkDefinition<>(
            "customer_stats", Topics.CUSTOMER_STATS, CustomerStats.class, StoreTables.CUSTOMER_STATS, null);
}
