-- Raw customer events (seed 002's customer_events datasource plus workspace_id and ingested_at).
-- Columns match io.tributary.platform.store.StoreTables.CUSTOMER_EVENTS one to one; optional
-- fields are Nullable, timestamps DateTime('UTC') (second precision; 18.16 has no DateTime64),
-- money Decimal(18, 4).
--
-- Replays: ClickHouse has no unique keys. Rows with the same sorting key are collapsed by
-- ReplacingMergeTree, but only when parts merge, at an unknown later time. Reads that must not
-- count a replayed event twice therefore use FINAL (SELECT ... FROM customer_events FINAL ...),
-- which collapses duplicates at query time. A replayed event carries the same customer_id and
-- event_timestamp as the original, so its sorting key is identical and it collapses.
--
-- Sorting key: per-customer reads (the pipes' main access path) scan one contiguous range, in
-- time order. Partitioning by month keeps parts bounded and lets old months be dropped; it
-- cannot split duplicates across partitions because event_timestamp is part of the sorting key.
CREATE TABLE IF NOT EXISTS {database}.customer_events (
    workspace_id    String,
    event_id        String,
    customer_id     String,
    event_type      String,
    event_timestamp DateTime('UTC'),
    session_id      Nullable(String),
    page_url        Nullable(String),
    product_id      Nullable(String),
    category_id     Nullable(String),
    price           Nullable(Decimal(18, 4)),
    quantity        Nullable(Int32),
    device_type     Nullable(String),
    country         Nullable(String),
    referrer        Nullable(String),
    user_agent      Nullable(String),
    ingested_at     DateTime('UTC')
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(event_timestamp)
ORDER BY (workspace_id, customer_id, event_timestamp, event_id);
