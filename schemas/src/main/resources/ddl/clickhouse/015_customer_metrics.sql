-- Uploaded dated metrics (seed 004), one row per (customer, date); StoreTables.CUSTOMER_METRICS.
-- version = Kafka offset of the upload record in customer_metrics: a later upload of the same
-- date replaces the row once parts merge. Reads use FINAL.
CREATE TABLE IF NOT EXISTS {database}.customer_metrics (
    workspace_id  String,
    external_id   String,
    metric_date   Date,
    values_keys   Array(String),
    values_values Array(String),
    upload_id     String,
    uploaded_at   DateTime('UTC'),
    version       Int64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (workspace_id, external_id, metric_date);
