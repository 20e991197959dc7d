package io.tributary.platform.kafka;

/** Consumer group and application ids, shared by the roles that must agree on them. */
public final class ConsumerGroups {
    private ConsumerGroups() {
    }

    /**
     * The group of the store sink of {@code topic}. The gateway watches its committed offsets:
     * a committed offset means the rows before it are in the store (read-your-writes, wait=true).
     */
    public static String sink(String topic) {
        return "tributary-sink-" + topic;
    }

    /**
     * Kafka Streams application id of the customer-analytics topology (statistics and segment
     * membership). It replaced {@code tributary-customer-stats} when the aggregate store changed
     * format: a new id rebuilds every aggregate from customer_events instead of restoring a store
     * it cannot read.
     */
    public static final String CUSTOMER_ANALYTICS_APP = "tributary-customer-analytics";
    /** The Kafka Streams application id (and consumer group) of the health scores (seed 004). */
    public static final String HEALTH_SCORES_APP = "tributary-health-scores";
    /** The group of the webhook dispatcher, which delivers the notifications topic to workspaces' webhooks (seed 004). */
    public static final String WEBHOOKS = "tributary-webhooks";
}
