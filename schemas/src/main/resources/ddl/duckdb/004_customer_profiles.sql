-- Customer profiles (seed 002's customer_profiles), latest per customer; StoreTables.CUSTOMER_PROFILES.
-- version = Kafka offset of the profile record: the profile the gateway accepted last wins.
CREATE TABLE IF NOT EXISTS customer_profiles (
    workspace_id     VARCHAR   NOT NULL,
    customer_id      VARCHAR   NOT NULL,
    email            VARCHAR,
    first_name       VARCHAR,
    last_name        VARCHAR,
    age              INTEGER,
    gender           VARCHAR,
    city             VARCHAR,
    country          VARCHAR,
    signup_date      DATE,
    last_login       TIMESTAMP,
    customer_segment VARCHAR,
    lifetime_value   DECIMAL(18,4),
    ingested_at      TIMESTAMP NOT NULL,
    version          BIGINT    NOT NULL,
    PRIMARY KEY (workspace_id, customer_id)
);
