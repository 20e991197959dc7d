-- Segment definitions (seed 002's customer_segments), latest per segment; StoreTables.CUSTOMER_SEGMENTS.
CREATE TABLE IF NOT EXISTS customer_segments (
    workspace_id        VARCHAR   NOT NULL,
    segment_id          VARCHAR   NOT NULL,
    segment_name        VARCHAR   NOT NULL,
    segment_description VARCHAR,
    creation_date       DATE,
    update_date         DATE,
    segment_rules       VARCHAR,
    segment_type        VARCHAR,
    ingested_at         TIMESTAMP NOT NULL,
    version             BIGINT    NOT NULL,
    PRIMARY KEY (workspace_id, segment_id)
);
