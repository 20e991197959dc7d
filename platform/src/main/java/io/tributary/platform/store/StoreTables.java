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

/**
 * The tables sinks write. Columns mirror the Avro records field by field (see {@link AvroRows}); a
 * column is optional exactly where the Avro field is a union with null. The DDL of both dialects
 * ({@code ddl/<dialect>/} in the schemas module) matches these columns one to one.
 */
public final class StoreTables {

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
            StoreColumn.required("ingested_at", TIMESTAMP)),
            List.of("workspace_id", "event_id"), Optional.empty(), WriteMode.INSERT_IGNORE_EXISTING);

    /** customer_stats: latest running statistics per (workspace_id, customer_id). */
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
            StoreColumn.required("updated_at", TIMESTAMP)),
            List.of("workspace_id", "customer_id"), Optional.of("version"), WriteMode.UPSERT_NEWER_VERSION);

    private StoreTables() {
    }
}
