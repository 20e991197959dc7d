-- Current segment membership per (segment, customer), from topic segment_membership;
-- StoreTables.SEGMENT_MEMBERS. member = false rows are former members (kept: they record the exit).
CREATE TABLE IF NOT EXISTS segment_members (
    workspace_id VARCHAR   NOT NULL,
    segment_id   VARCHAR   NOT NULL,
    customer_id  VARCHAR   NOT NULL,
    segment_name VARCHAR   NOT NULL,
    member       BOOLEAN   NOT NULL,
    via_rule     BOOLEAN   NOT NULL,
    via_profile  BOOLEAN   NOT NULL,
    cause        VARCHAR   NOT NULL,
    changed_at   TIMESTAMP NOT NULL,
    version      BIGINT    NOT NULL,
    PRIMARY KEY (workspace_id, segment_id, customer_id)
);
