-- Health scores (seed 004), the latest per customer; StoreTables.HEALTH_SCORES. version = Kafka
-- offset in health_scores (a customer's scores share a partition). components: JSON array.
CREATE TABLE IF NOT EXISTS health_scores (
    workspace_id   VARCHAR   NOT NULL,
    external_id    VARCHAR   NOT NULL,
    name           VARCHAR,
    owner_email    VARCHAR,
    score          DOUBLE,
    band           VARCHAR,
    previous_score DOUBLE,
    score_change   DOUBLE,
    components     VARCHAR   NOT NULL,
    cause          VARCHAR   NOT NULL,
    upload_id      VARCHAR,
    scored_at      TIMESTAMP NOT NULL,
    version        BIGINT    NOT NULL,
    PRIMARY KEY (workspace_id, external_id)
);
