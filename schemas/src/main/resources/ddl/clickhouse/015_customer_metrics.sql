-- Uploaded dated metrics (seed 004), one row per (customer, date, upload); StoreTables.CUSTOMER_METRICS.
-- version = Kafka offset of the upload record in customer_metrics. Every upload's rows stay: per
-- date and metric, the value of the highest version counts (as for scoring); a replayed record is
-- the same row again, which ReplacingMergeTree folds.
CREATE TABLE IF NOT EXISTS {database}.customer_metrics (
    workspace_id  String,
    external_id   String,
    metric_date   Date,
    values_keys   Array(String),
    values_values Array(String),
    upload_id     String,
    uploaded_at   DateTime('UTC'),
    version       Int64
) ENGINE = ReplacingMergeTree
ORDER BY (workspace_id, external_id, metric_date, upload_id);
