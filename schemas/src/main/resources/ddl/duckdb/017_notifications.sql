-- Notifications to a workspace's members (seed 004: an upload was scored); StoreTables.NOTIFICATIONS.
CREATE TABLE IF NOT EXISTS notifications (
    workspace_id    VARCHAR   NOT NULL,
    notification_id VARCHAR   NOT NULL,
    kind            VARCHAR   NOT NULL,
    upload_id       VARCHAR,
    customers       INTEGER   NOT NULL,
    recipients      VARCHAR[] NOT NULL,
    message         VARCHAR   NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (workspace_id, notification_id)
);
