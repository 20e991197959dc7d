package io.tributary.processors.sink;

import io.tributary.platform.store.StoreTable;
import io.tributary.platform.store.StoreTables;
import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.CustomerEvent;
import io.tributary.schemas.avro.CustomerProfile;
import io.tributary.schemas.avro.CustomerSegment;
import io.tributary.schemas.avro.CustomerStats;
import io.tributary.schemas.avro.SegmentMembership;
import java.util.List;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * What a store sink moves: records of {@code type} from {@code topic} into {@code table}
 * (columns filled by field name, see AvroRows). {@code freshnessField} names the timestamp used
 * to measure end-to-end freshness (store write time − that field), if the record has one.
 * {@code offsetColumn}, if set, is filled with the record's Kafka offset: the {@code version} of
 * upserted entities, so that the latest record of a key (all of a key's records share a partition)
 * wins in the store, whatever order batches are replayed in.
 *
 * <p>Tombstones (null values on the compacted topics) are skipped: a deleted profile or segment
 * keeps its last row in the store (membership rows of a deleted segment do turn to member = false,
 * because the membership topology writes exit records).
 */
public record SinkDefinition<T extends SpecificRecord>(String name, String topic, Class<T> type, StoreTable table, String freshnessField,
                                                       String offsetColumn) {
    public SinkDefinition {
        Objects.requireNonNull(name);
        Objects.requireNonNull(topic);
        Objects.requireNonNull(type);
        Objects.requireNonNull(table);
        if (offsetColumn != null && table.columns().stream().noneMatch(c -> c.name().equals(offsetColumn))) {
            throw new IllegalArgumentException("table " + table.name() + " has no column " + offsetColumn);
        }
    }

    /** A sink whose rows come from the record's fields alone. */
    public SinkDefinition(String name, String topic, Class<T> type, StoreTable table, String freshnessField) {
        this(name, topic, type, table, freshnessField, null);
    }

    public static final SinkDefinition<CustomerEvent> CUSTOMER_EVENTS = new SinkDefinition<>(
            "customer_events", Topics.CUSTOMER_EVENTS, CustomerEvent.class, StoreTables.CUSTOMER_EVENTS, "ingested_at");

    public static final SinkDefinition<CustomerStats> CUSTOMER_STATS = new SinkDefinition<>(
            "customer_stats", Topics.CUSTOMER_STATS, CustomerStats.class, StoreTables.CUSTOMER_STATS, null);

    public static final SinkDefinition<CustomerProfile> CUSTOMER_PROFILES = new SinkDefinition<>(
            "customer_profiles", Topics.CUSTOMER_PROFILES, CustomerProfile.class, StoreTables.CUSTOMER_PROFILES, "ingested_at", "version");

    public static final SinkDefinition<CustomerSegment> CUSTOMER_SEGMENTS = new SinkDefinition<>(
            "customer_segments", Topics.CUSTOMER_SEGMENTS, CustomerSegment.class, StoreTables.CUSTOMER_SEGMENTS, "ingested_at", "version");

    public static final SinkDefinition<SegmentMembership> SEGMENT_MEMBERSHIP = new SinkDefinition<>(
            "segment_membership", Topics.SEGMENT_MEMBERSHIP, SegmentMembership.class, StoreTables.SEGMENT_MEMBERS, null, "version");

    /** Every sink the processors role runs. */
    public static final List<SinkDefinition<?>> ALL = List.of(CUSTOMER_EVENTS, CUSTOMER_STATS, CUSTOMER_PROFILES, CUSTOMER_SEGMENTS, SEGMENT_MEMBERSHIP);
}
