package io.tributary.processors.sink;

import io.tributary.platform.store.StoreTable;
import io.tributary.platform.store.StoreTables;
import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.Customer;
import io.tributary.schemas.avro.CustomerEvent;
import io.tributary.schemas.avro.CustomerInsight;
import io.tributary.schemas.avro.CustomerMetrics;
import io.tributary.schemas.avro.HealthScore;
import io.tributary.schemas.avro.Notification;
import io.tributary.schemas.avro.CustomerProfile;
import io.tributary.schemas.avro.CustomerSegment;
import io.tributary.schemas.avro.CustomerStats;
import io.tributary.schemas.avro.SegmentMembership;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;

/**
 * What a store sink moves: records of {@code type} from {@code topic} into {@code table}
 * (columns filled by field name, see AvroRows). {@code freshnessField} names the timestamp used
 * to measure end-to-end freshness (store write time − that field), if the record has one.
 * {@code offsetColumn}, if set, is filled with the record's Kafka offset: the {@code version} of
 * upserted entities, so that the latest record of a key (all of a key's records share a partition)
 * wins in the store, whatever order batches are replayed in.
 *
 * <p>Tombstones (null values on the compacted topics): where the table has a
 * {@value StoreTables#DELETED} column (segments, insights) a tombstone becomes a deleted row — key
 * columns from the record key, version = offset, no data (see AvroRows.tombstoneRow) — which
 * readers skip; elsewhere tombstones are skipped (a profile keeps its last row). Membership rows of a
 * deleted segment turn to member = false, because the membership topology writes exit records.
 *
 * <p>{@code explodeField}, if set, names an array-of-records field: each record becomes one row per
 * element (AvroRows.toExplodedRows), as a customer's upload becomes one row per dated metric set.
 */
public record SinkDefinition<T extends SpecificRecord>(String name, String topic, Class<T> type, StoreTable table, String freshnessField,
                                                       String offsetColumn, String explodeField) {
    public SinkDefinition {
        Objects.requireNonNull(name);
        Objects.requireNonNull(topic);
        Objects.requireNonNull(type);
        Objects.requireNonNull(table);
        if (offsetColumn != null && table.columns().stream().noneMatch(c -> c.name().equals(offsetColumn))) {
            throw new IllegalArgumentException("table " + table.name() + " has no column " + offsetColumn);
        }
        if (hasDeletedColumn(table) && (offsetColumn == null || table.keyColumns().size() != 2)) {
            throw new IllegalArgumentException("table " + table.name() + " takes deletes: it needs a version column and a"
                    + " (workspace_id, id) key, the two parts of a record key");
        }
    }

    /**
     * Which written rows must also purge their key's older versions from the store: rows that stand
     * for a deletion (a tombstone's deleted row, or a soft-deleted customer, whose older versions hold
     * the PII it scrubbed). Empty for tables without such rows. Built once per sink: the column
     * lookups stay off the per-row path.
     */
    public Optional<Predicate<Object[]>> purgeCondition() {
        if (deletes()) {
            int deleted = table.indexOf(StoreTables.DELETED);
            return Optional.of(row -> Boolean.TRUE.equals(row[deleted]));
        }
        if (table.columns().stream().anyMatch(c -> c.name().equals(StoreTables.SCRUBBED_AT))) {
            int scrubbedAt = table.indexOf(StoreTables.SCRUBBED_AT);
            return Optional.of(row -> row[scrubbedAt] != null);
        }
        return Optional.empty();
    }

    /** Whether tombstones become deleted rows (the table has a deleted column). */
    public boolean deletes() {
        return hasDeletedColumn(table);
    }

    private static boolean hasDeletedColumn(StoreTable table) {
        return table.columns().stream().anyMatch(c -> c.name().equals(StoreTables.DELETED));
    }

    /** A sink whose rows come from the record's fields alone. */
    public SinkDefinition(String name, String topic, Class<T> type, StoreTable table, String freshnessField) {
        this(name, topic, type, table, freshnessField, null, null);
    }

    /** A sink of one row per record, {@code offsetColumn} = the record's offset. */
    public SinkDefinition(String name, String topic, Class<T> type, StoreTable table, String freshnessField, String offsetColumn) {
        this(name, topic, type, table, freshnessField, offsetColumn, null);
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

    public static final SinkDefinition<CustomerInsight> CUSTOMER_INSIGHTS = new SinkDefinition<>(
            "customer_insights", Topics.CUSTOMER_INSIGHTS, CustomerInsight.class, StoreTables.CUSTOMER_INSIGHTS, "updated_at", "version");

    public static final SinkDefinition<Customer> CUSTOMERS = new SinkDefinition<>(
            "customers", Topics.CUSTOMERS, Customer.class, StoreTables.CUSTOMERS, "updated_at", "version");

    public static final SinkDefinition<CustomerMetrics> CUSTOMER_METRICS = new SinkDefinition<>(
            "customer_metrics", Topics.CUSTOMER_METRICS, CustomerMetrics.class, StoreTables.CUSTOMER_METRICS, "uploaded_at", "version", "metrics");

    public static final SinkDefinition<HealthScore> HEALTH_SCORES = new SinkDefinition<>(
            "health_scores", Topics.HEALTH_SCORES, HealthScore.class, StoreTables.HEALTH_SCORES, "scored_at", "version");

    public static final SinkDefinition<Notification> NOTIFICATIONS = new SinkDefinition<>(
            "notifications", Topics.NOTIFICATIONS, Notification.class, StoreTables.NOTIFICATIONS, null);

    /** Every sink the processors role runs. */
    public static final List<SinkDefinition<?>> ALL = List.of(CUSTOMER_EVENTS, CUSTOMER_STATS, CUSTOMER_PROFILES, CUSTOMER_SEGMENTS, SEGMENT_MEMBERSHIP,
            CUSTOMER_INSIGHTS, CUSTOMERS, CUSTOMER_METRICS, HEALTH_SCORES, NOTIFICATIONS);
}
