-- Customer insights of seed 000 (/v1/customer-insights), latest version per insight;
-- StoreTables.CUSTOMER_INSIGHTS. version = Kafka offset of the record in customer_insights.
-- A delete (a tombstone in the topic) replaces the row with deleted = true and every data column
-- NULL: the data is gone at once, and an older version replayed later cannot resurrect it.
CREATE TABLE IF NOT EXISTS customer_insights (
    workspace_id VARCHAR   NOT NULL,
    insight_id   VARCHAR   NOT NULL,
    customer_id  VARCHAR,
    insight_type VARCHAR,
    details      VARCHAR,
    created_at   TIMESTAMP,
    updated_at   TIMESTAMP NOT NULL,
    deleted      BOOLEAN   NOT NULL,
    version      BIGINT    NOT NULL,
    PRIMARY KEY (workspace_id, insight_id)
);
