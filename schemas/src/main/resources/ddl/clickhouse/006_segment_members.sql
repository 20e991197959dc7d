-- Current segment membership per (segment, customer), from topic segment_membership;
-- StoreTables.SEGMENT_MEMBERS. Booleans are UInt8 (18.16 has no Bool). Read with FINAL.
CREATE TABLE IF NOT EXISTS {database}.segment_members (
    workspace_id String,
    segment_id   String,
    customer_id  String,
    segment_name String,
    member       UInt8,
    via_rule     UInt8,
    via_profile  UInt8,
    cause        String,
    changed_at   DateTime('UTC'),
    version      Int64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (workspace_id, segment_id, customer_id);
