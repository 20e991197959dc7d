-- Customers of seed 003 (/customers), latest version per customer; StoreTables.CUSTOMERS.
-- version = Kafka offset of the record in customers. A soft delete replaces the row with one whose
-- deleted_at is set and PII columns are NULL.
CREATE TABLE IF NOT EXISTS customers (
    workspace_id      VARCHAR   NOT NULL,
    id                VARCHAR   NOT NULL,
    external_id       VARCHAR   NOT NULL,
    email             VARCHAR,
    name              VARCHAR,
    avatar            VARCHAR,
    click_id          VARCHAR,
    attributes_keys   VARCHAR[] NOT NULL,
    attributes_values VARCHAR[] NOT NULL,
    pii_attributes    VARCHAR[] NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    deleted_at        TIMESTAMP,
    version           BIGINT    NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
