-- Latest running statistics per customer, written by the customer-stats sink.
-- Columns match io.tributary.platform.store.StoreTables.CUSTOMER_STATS one to one; the Avro map
-- events_by_type is stored as two aligned arrays sorted by key (events_by_type_keys/_values).
--
-- Upserts: every update is inserted; ReplacingMergeTree(version) keeps the row with the highest
-- version per (workspace_id, customer_id) when parts merge, whatever the arrival order. Until then
-- several versions coexist, so reads use FINAL (or argMax(column, version) ... GROUP BY key) to
-- see exactly the newest one.
CREATE TABLE IF NOT EXISTS {database}.customer_stats (
    workspace_id          String,
    customer_id           String,
    event_count           Int64,
    events_by_type_keys   Array(String),
    events_by_type_values Array(Int64),
    purchase_count        Int64,
    items_purchased       Int64,
    total_spent           Decimal(18, 4),
    first_seen            DateTime('UTC'),
    last_seen             DateTime('UTC'),
    first_purchase_at     Nullable(DateTime('UTC')),
    last_purchase_at      Nullable(DateTime('UTC')),
    version               Int64,
    updated_at            DateTime('UTC')
) ENGINE = ReplacingMergeTree(version)
ORDER BY (workspace_id, customer_id);
