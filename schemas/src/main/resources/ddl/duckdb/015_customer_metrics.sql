-- Uploaded dated metrics (seed 004), one row per (customer, date, upload); StoreTables.CUSTOMER_METRICS.
-- version = Kafka offset of the upload record in customer_metrics. Every upload's rows stay: per
-- date and metric, the value of the highest version counts (as for scoring).
CREATE TABLE IF NOT EXISTS customer_metrics (
    workspace_id  VARCHAR   NOT NULL,
    external_id   VARCHAR   NOT NULL,
    metric_date   DATE      NOT NULL,
    values_keys   VARCHAR[] NOT NULL,
    values_values VARCHAR[] NOT NULL,
    upload_id     VARCHAR   NOT NULL,
    uploaded_at   TIMESTAMP NOT NULL,
    version       BIGINT    NOT NULL,
    PRIMARY KEY (workspace_id, external_id, metric_date, upload_id)
);
