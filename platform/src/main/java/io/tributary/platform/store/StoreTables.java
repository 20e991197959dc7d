package io.tributary.platform.store;

import static io.tributary.platform.store.ValueType.BOOLEAN;
import static io.tributary.platform.store.ValueType.DATE;
import static io.tributary.platform.store.ValueType.DECIMAL;
import static io.tributary.platform.store.ValueType.FLOAT64;
import static io.tributary.platform.store.ValueType.INT32;
import static io.tributary.platform.store.ValueType.INT64;
import static io.tributary.platform.store.ValueType.INT64_ARRAY;
import static io.tributary.platform.store.ValueType.STRING;
import static io.tributary.platform.store.ValueType.STRING_ARRAY;
import static io.tributary.platform.store.ValueType.TIMESTAMP;

import java.util.List;
import java.util.Optional;

/**
 * The tables sinks write. Columns mirror the Avro records field by field (see {@link AvroRows}); a
 * column is optional exactly where the Avro field is a union with null. The DDL of both dialects
 * ({@code ddl/<dialect>/} in the schemas module) matches these columns one to one.
 */
public final class StoreTables {
    /** The column marking a row that stands for a deleted entity (a tombstone of its compacted topic). */
    public static final String DELETED = "deleted";
    /** The column marking a soft-deleted entity whose PII was scrubbed (customers): it stays, without that data. */
    public static final String SCRUBBED_AT = "deleted_at";

    /** customer_events: one row per distinct (workspace_id, event_id). */
    public static final StoreTable CUSTOMER_EVENTS = new StoreTable("customer_events", List.of(
            StoreColumn.required("workspace_id", STRING),
            StoreColumn.required("event_id", STRING),
            StoreColumn.required("customer_id", STRING),
            StoreColumn.required("event_type", STRING),
            StoreColumn.required("event_timestamp", TIMESTAMP),
            StoreColumn.optional("session_id", STRING),
            StoreColumn.optional("page_url", STRING),
            StoreColumn.optional("product_id", STRING),
            StoreColumn.optional("category_id", STRING),
            StoreColumn.optional("price", DECIMAL),
            StoreColumn.optional("quantity", INT32),
            StoreColumn.optional("device_type", STRING),
            StoreColumn.optional("country", STRING),
            StoreColumn.optional("referrer", STRING),
            StoreColumn.optional("user_agent", STRING),
            StoreColumn.required("ingested_at", TIMESTAMP),
            // added by migration 012 (ALTER TABLE appends), hence after ingested_at
            StoreColumn.optional("email", STRING),
            StoreColumn.optional("click_id", STRING),
            StoreColumn.optional("link_id", STRING),
            StoreColumn.optional("utm_source", STRING),
            StoreColumn.optional("utm_medium", STRING),
            StoreColumn.optional("utm_campaign", STRING)),
            List.of("workspace_id", "event_id"), Optional.empty(), WriteMode.INSERT_IGNORE_EXISTING);

    /** customer_stats: latest running statistics per (workspace_id, customer_id). Column order = the DDL's physical order. */
    public static final StoreTable CUSTOMER_STATS = new StoreTable("customer_stats", List.of(
            StoreColumn.required("workspace_id", STRING),
            StoreColumn.required("customer_id", STRING),
            StoreColumn.required("event_count", INT64),
            StoreColumn.required("events_by_type_keys", STRING_ARRAY),
            StoreColumn.required("events_by_type_values", INT64_ARRAY),
            StoreColumn.required("purchase_count", INT64),
            StoreColumn.required("items_purchased", INT64),
            StoreColumn.required("total_spent", DECIMAL),
            StoreColumn.required("first_seen", TIMESTAMP),
            StoreColumn.required("last_seen", TIMESTAMP),
            StoreColumn.optional("first_purchase_at", TIMESTAMP),
            StoreColumn.optional("last_purchase_at", TIMESTAMP),
            StoreColumn.required("version", INT64),
            StoreColumn.required("updated_at", TIMESTAMP),
            // added by migration 003 (ALTER TABLE appends), hence after updated_at
            StoreColumn.required("session_count", INT64),
            StoreColumn.required("distinct_products", INT64),
            StoreColumn.required("distinct_categories", INT64),
            StoreColumn.required("devices", STRING_ARRAY),
            StoreColumn.required("countries", STRING_ARRAY),
            StoreColumn.optional("average_order_value", DECIMAL),
            StoreColumn.optional("lifetime_value", DECIMAL)),
            List.of("workspace_id", "customer_id"), Optional.of("version"), WriteMode.UPSERT_NEWER_VERSION);

    /**
     * customer_profiles: the latest accepted profile per (workspace_id, customer_id). {@code version}
     * is the Kafka offset of the profile's record (not an Avro field): all versions of a key share a
     * partition, so offsets order them as the gateway accepted them (ingestion order wins).
     */
    public static final StoreTable CUSTOMER_PROFILES = new StoreTable("customer_profiles", List.of(
            StoreColumn.required("workspace_id", STRING),
            StoreColumn.required("customer_id", STRING),
            StoreColumn.optional("email", STRING),
            StoreColumn.optional("first_name", STRING),
            StoreColumn.optional("last_name", STRING),
            StoreColumn.optional("age", INT32),
            StoreColumn.optional("gender", STRING),
            StoreColumn.optional("city", STRING),
            StoreColumn.optional("country", STRING),
            StoreColumn.optional("signup_date", DATE),
            StoreColumn.optional("last_login", TIMESTAMP),
            StoreColumn.optional("customer_segment", STRING),
            StoreColumn.optional("lifetime_value", DECIMAL),
            StoreColumn.required("ingested_at", TIMESTAMP),
            StoreColumn.required("version", INT64)),
            List.of("workspace_id", "customer_id"), Optional.of("version"), WriteMode.UPSERT_NEWER_VERSION);

    /**
     * customer_segments: the latest accepted definition per (workspace_id, segment_id), from the
     * Events API and from /v1/customer-segments alike; version as for profiles. {@code deleted} rows
     * stand for tombstones (key and version only; readers skip them).
     */
    public static final StoreTable CUSTOMER_SEGMENTS = new StoreTable("customer_segments", List.of(
            StoreColumn.required("workspace_id", STRING),
            StoreColumn.required("segment_id", STRING),
            StoreColumn.required("segment_name", STRING),
            StoreColumn.optional("segment_description", STRING),
            StoreColumn.optional("creation_date", DATE),
            StoreColumn.optional("update_date", DATE),
            StoreColumn.optional("segment_rules", STRING),
            StoreColumn.optional("segment_type", STRING),
            StoreColumn.required("ingested_at", TIMESTAMP),
            StoreColumn.required("version", INT64),
            // added by migration 010 (ALTER TABLE appends), hence after version
            StoreColumn.optional("criteria", STRING),
            StoreColumn.optional("created_at", TIMESTAMP),
            StoreColumn.required(DELETED, BOOLEAN)),
            List.of("workspace_id", "segment_id"), Optional.of("version"), WriteMode.UPSERT_NEWER_VERSION);

    /**
     * customer_insights (seed 000): the latest version per (workspace_id, insight_id); version = the
     * record's Kafka offset in customer_insights. A delete is a {@code deleted} row whose data
     * columns are null (hence nullable here although the API requires them).
     */
    public static final StoreTable CUSTOMER_INSIGHTS = new StoreTable("customer_insights", List.of(
            StoreColumn.required("workspace_id", STRING),
            StoreColumn.required("insight_id", STRING),
            StoreColumn.optional("customer_id", STRING),
            StoreColumn.optional("insight_type", STRING),
            StoreColumn.optional("details", STRING),
            StoreColumn.optional("created_at", TIMESTAMP),
            StoreColumn.required("updated_at", TIMESTAMP),
            StoreColumn.required(DELETED, BOOLEAN),
            StoreColumn.required("version", INT64)),
            List.of("workspace_id", "insight_id"), Optional.of("version"), WriteMode.UPSERT_NEWER_VERSION);

    /**
     * segment_members: the current membership of each (workspace_id, segment_id, customer_id) pair
     * ever evaluated, from topic segment_membership; {@code member} false rows are former members.
     * {@code version} is the record's Kafka offset (a customer's records share a partition).
     */
    public static final StoreTable SEGMENT_MEMBERS = new StoreTable("segment_members", List.of(
            StoreColumn.required("workspace_id", STRING),
            StoreColumn.required("segment_id", STRING),
            StoreColumn.required("customer_id", STRING),
            StoreColumn.required("segment_name", STRING),
            StoreColumn.required("member", BOOLEAN),
            StoreColumn.required("via_rule", BOOLEAN),
            StoreColumn.required("via_profile", BOOLEAN),
            StoreColumn.required("cause", STRING),
            StoreColumn.required("changed_at", TIMESTAMP),
            StoreColumn.required("version", INT64)),
            List.of("workspace_id", "segment_id", "customer_id"), Optional.of("version"), WriteMode.UPSERT_NEWER_VERSION);

    /**
     * customers (seed 003): the latest version per (workspace_id, id); version = the record's Kafka
     * offset in customers. Soft-deleted customers stay (deleted_at set, PII columns null) so that
     * their events keep counting in every aggregate.
     */
    public static final StoreTable CUSTOMERS = new StoreTable("customers", List.of(
            StoreColumn.required("workspace_id", STRING),
            StoreColumn.required("id", STRING),
            StoreColumn.required("external_id", STRING),
            StoreColumn.optional("email", STRING),
            StoreColumn.optional("name", STRING),
            StoreColumn.optional("avatar", STRING),
            StoreColumn.optional("click_id", STRING),
            StoreColumn.required("attributes_keys", STRING_ARRAY),
            StoreColumn.required("attributes_values", STRING_ARRAY),
            StoreColumn.required("pii_attributes", STRING_ARRAY),
            StoreColumn.required("created_at", TIMESTAMP),
            StoreColumn.required("updated_at", TIMESTAMP),
            StoreColumn.optional("deleted_at", TIMESTAMP),
            StoreColumn.required("version", INT64),
            // added by migration 013 (ALTER TABLE appends), hence after version
            StoreColumn.optional("email_sha256", STRING),
            // added by migration 014
            StoreColumn.optional("owner_email", STRING)),
            List.of("workspace_id", "id"), Optional.of("version"), WriteMode.UPSERT_NEWER_VERSION);

    /**
     * customer_metrics (seed 004): uploaded metric values, one row per (workspace_id, external_id,
     * metric_date, upload_id), exploded from the dated rows of a CustomerMetrics record; version = the
     * record's Kafka offset. Every upload's rows stay: per date and metric the value of the latest
     * version counts (as for scoring), so a later upload of a date overrides the metrics it gives and
     * keeps the others.
     */
    public static final StoreTable CUSTOMER_METRICS = new StoreTable("customer_metrics", List.of(
            StoreColumn.required("workspace_id", STRING),
            StoreColumn.required("external_id", STRING),
            StoreColumn.required("metric_date", DATE),
            StoreColumn.required("values_keys", STRING_ARRAY),
            StoreColumn.required("values_values", STRING_ARRAY),
            StoreColumn.required("upload_id", STRING),
            StoreColumn.required("uploaded_at", TIMESTAMP),
            StoreColumn.required("version", INT64)),
            List.of("workspace_id", "external_id", "metric_date", "upload_id"), Optional.empty(), WriteMode.INSERT_IGNORE_EXISTING);

    /** health_scores (seed 004): the latest score per (workspace_id, external_id); components is a JSON array. */
    public static final StoreTable HEALTH_SCORES = new StoreTable("health_scores", List.of(
            StoreColumn.required("workspace_id", STRING),
            StoreColumn.required("external_id", STRING),
            StoreColumn.optional("name", STRING),
            StoreColumn.optional("owner_email", STRING),
            StoreColumn.optional("score", FLOAT64),
            StoreColumn.optional("band", STRING),
            StoreColumn.optional("previous_score", FLOAT64),
            StoreColumn.optional("score_change", FLOAT64),
            StoreColumn.required("components", STRING),
            StoreColumn.required("cause", STRING),
            StoreColumn.optional("upload_id", STRING),
            StoreColumn.required("scored_at", TIMESTAMP),
            StoreColumn.required("version", INT64)),
            List.of("workspace_id", "external_id"), Optional.of("version"), WriteMode.UPSERT_NEWER_VERSION);

    /** notifications (seed 004): one row per notification, addressed to the workspace's members. */
    public static final StoreTable NOTIFICATIONS = new StoreTable("notifications", List.of(
            StoreColumn.required("workspace_id", STRING),
            StoreColumn.required("notification_id", STRING),
            StoreColumn.required("kind", STRING),
            StoreColumn.optional("upload_id", STRING),
            StoreColumn.required("customers", INT32),
            StoreColumn.required("recipients", STRING_ARRAY),
            StoreColumn.required("message", STRING),
            StoreColumn.required("created_at", TIMESTAMP)),
            List.of("workspace_id", "notification_id"), Optional.empty(), WriteMode.INSERT_IGNORE_EXISTING);

    /** Every table sinks write, in migration order. */
    public static final List<StoreTable> ALL = List.of(CUSTOMER_EVENTS, CUSTOMER_STATS, CUSTOMER_PROFILES, CUSTOMER_SEGMENTS, SEGMENT_MEMBERS,
            CUSTOMER_INSIGHTS, CUSTOMERS, CUSTOMER_METRICS, HEALTH_SCORES, NOTIFICATIONS);

    private StoreTables() {
    }
}
