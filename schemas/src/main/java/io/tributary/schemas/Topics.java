package io.tributary.schemas;

/** Kafka topic names (DESIGN.md §4). Keys are {@code workspace_id|entity_id}. */
public final class Topics {
    public static final String CUSTOMER_EVENTS = "customer_events";
    public static final String QUARANTINE = "quarantine";
    public static final String CUSTOMER_STATS = "customer_stats";
    /** Profiles, compacted, keyed workspace_id|customer_id (co-partitioned with customer_events). */
    public static final String CUSTOMER_PROFILES = "customer_profiles";
    /** Segment definitions, compacted, keyed workspace_id|segment_id. */
    public static final String CUSTOMER_SEGMENTS = "customer_segments";
    /** Customer insights of seed 000 (Fin X API), compacted, keyed workspace_id|insight_id; deletes are tombstones. */
    public static final String CUSTOMER_INSIGHTS = "customer_insights";
    /**
     * Customers of seed 003 (Customers API), compacted, keyed workspace_id|id; a delete is a soft
     * delete (a scrubbed version), never a tombstone, so that the customer's events keep counting.
     */
    public static final String CUSTOMERS = "customers";
    /**
     * One record per customer of a seed-004 upload (POST /api/v1/customers): its dated metrics and
     * typed attributes, keyed workspace_id|external_id.
     */
    public static final String CUSTOMER_METRICS = "customer_metrics";
    /** Health scores, keyed workspace_id|external_id: a record whenever a customer's score is computed anew. */
    public static final String HEALTH_SCORES = "health_scores";
    /** Messages to a workspace's members (an upload was scored), keyed workspace_id|notification_id. */
    public static final String NOTIFICATIONS = "notifications";
    /** Enter/exit records, keyed workspace_id|customer_id. */
    public static final String SEGMENT_MEMBERSHIP = "segment_membership";
    /** Compacted store of the embedded schema registry. */
    public static final String SCHEMAS = "_schemas";
    /** Compacted store of API tokens (hashed). */
    public static final String TOKENS = "_tributary_tokens";

    private Topics() {
    }

    /** The record key of an entity: one workspace's entity always lands on one partition. */
    public static String key(String workspaceId, String entityId) {
        return workspaceId + "|" + entityId;
    }

    /**
     * The workspace and entity id of a {@link #key(String, String)} (workspace ids never hold '|';
     * entity ids may): what a tombstone, which has no value, still says about its entity.
     */
    public static String[] splitKey(String key) {
        int bar = key.indexOf('|');
        if (bar <= 0 || bar == key.length() - 1) {
            throw new IllegalArgumentException("not a workspace_id|entity_id key: " + key);
        }
        return new String[] {key.substring(0, bar), key.substring(bar + 1)};
    }

    /** Confluent's TopicNameStrategy subject for a topic's values. */
    public static String valueSubject(String topic) {
        return topic + "-value";
    }
}
