-- Notifications to a workspace's members (seed 004: an upload was scored); StoreTables.NOTIFICATIONS.
-- A replayed record is the same row again: ReplacingMergeTree keeps one, reads use FINAL.
CREATE TABLE IF NOT EXISTS {database}.notifications (
    workspace_id    String,
    notification_id String,
    kind            String,
    upload_id       Nullable(String),
    customers       Int32,
    recipients      Array(String),
    message         String,
    created_at      DateTime('UTC')
) ENGINE = ReplacingMergeTree
ORDER BY (workspace_id, notification_id);
