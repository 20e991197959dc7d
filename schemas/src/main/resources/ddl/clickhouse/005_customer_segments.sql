-- Segment definitions (seed 002's customer_segments), latest per segment; StoreTables.CUSTOMER_SEGMENTS.
-- Read with FINAL (ReplacingMergeTree(version), version = Kafka offset).
CREATE TABLE IF NOT EXISTS {database}.customer_segments (
    workspace_id        String,
    segment_id          String,
    segment_name        String,
    segment_description Nullable(String),
    creation_date       Nullable(Date),
    update_date         Nullable(Date),
    segment_rules       Nullable(String),
    segment_type        Nullable(String),
    ingested_at         DateTime('UTC'),
    version             Int64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (workspace_id, segment_id);
