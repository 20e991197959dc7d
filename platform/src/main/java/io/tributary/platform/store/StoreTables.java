package io.tributary.platform.store;

import static io.tributary.platform.store.ValueType.DECIMAL;
import static io.tributary.platform.store.ValueType.INT32;
import static io.tributary.platform.store.ValueType.INT64;
import static io.tributary.platform.store.ValueType.INT64_ARRAY;
import static io.tributary.platform.store.ValueType.STRING;
import static io.tributary.platform.store.ValueType.STRING_ARRAY;
import static io.tributary.platform.store.ValueType.TIMESTAMP;

import java.util.List;
import java.util.Optional;

/** The tables sinks write. Columns mirror the Avro records field by field (see {@link AvroRows}). */
public final class StoreTables {

    /** customer_events: one row per distinct (workspace_id, event_id). */
    public static final StoreTable CUSTOMER_EVENTS = new StoreTable("customer_events", List.of(
            new StoreColumn("workspace_id", STRING),
            new StoreColumn("event_id", STRING),
            new StoreColumn("customer_id", STRING),
            new StoreColumn("event_type", STRING),
            new StoreColumn("event_timestamp", TIMESTAMP),
            new StoreColumn("session_id", STRING),
            new StoreColumn("page_url", STRING),
            new StoreColumn("product_id", STRING),
            new StoreColumn("category_id", STRING),
            new StoreColumn("price", DECIMAL),
            new StoreColumn("quantity", INT32),
            new StoreColumn("device_type", STRING),
            new StoreColumn("country", STRING),
            new StoreColumn("referrer", STRING),
            new StoreColumn("user_agent", STRING),
            new StoreColumn("ingested_at", TIMESTAMP)),
            List.of("workspace_id", "event_id"), Optional.empty(), WriteMode.INSERT_IGNORE_EXISTING);

    /** customer_stats: latest running statistics per (workspace_id, customer_id). */
    public static final StoreTable CUSTOMER_STATS = new StoreTable("customer_stats", List.of(
            new StoreColumn("workspace_id", STRING),
            new StoreColumn("customer_id", STRING),
            new StoreColumn("event_count", INT64),
            new StoreColumn("events_by_type_keys", STRING_ARRAY),
            new StoreColumn("events_by_type_values", INT64_ARRAY),
            new StoreColumn("purchase_count", INT64),
            new StoreColumn("items_purchased", INT64),
            new StoreColumn("total_spent", DECIMAL),
            new StoreColumn("first_seen", TIMESTAMP),
            new StoreColumn("last_seen", TIMESTAMP),
            new StoreColumn("first_purchase_at", TIMESTAMP),
            new StoreColumn("last_purchase_at", TIMESTAMP),
            new StoreColumn("version", INT64),
            new StoreColumn("updated_at", TIMESTAMP)),
            List.of("workspace_id", "customer_id"), Optional.of("version"), WriteMode.UPSERT_NEWER_VERSION);

    private StoreTables() {
    }
}
