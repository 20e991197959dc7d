-- Customer insights of seed 000 (/v1/customer-insights), latest version per insight;
-- StoreTables.CUSTOMER_INSIGHTS. version = Kafka offset of the record in customer_insights.
-- A delete (a tombstone in the topic) is written as a row with deleted = 1 and every data column
-- NULL, so once parts merge (ReplacingMergeTree keeps the highest version) the data is gone.
-- Reads use FINAL and deleted = 0.
CREATE TABLE IF NOT EXISTS {database}.customer_insights (
    workspace_id String,
    insight_id   String,
    customer_id  Nullable(String),
    insight_type Nullable(String),
    details      Nullable(String),
    created_at   Nullable(DateTime('UTC')),
    updated_at   DateTime('UTC'),
    deleted      UInt8,
    version      Int64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (workspace_id, insight_id);
