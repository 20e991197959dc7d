-- Health scores (seed 004), the latest per customer; StoreTables.HEALTH_SCORES. version = Kafka
-- offset in health_scores (a customer's scores share a partition). components: JSON array. Reads use FINAL.
CREATE TABLE IF NOT EXISTS {database}.health_scores (
    workspace_id   String,
    external_id    String,
    name           Nullable(String),
    owner_email    Nullable(String),
    score          Nullable(Float64),
    band           Nullable(String),
    previous_score Nullable(Float64),
    score_change   Nullable(Float64),
    components     String,
    cause          String,
    upload_id      Nullable(String),
    scored_at      DateTime('UTC'),
    version        Int64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (workspace_id, external_id);
