-- Customers of seed 003 (/customers), latest version per customer; StoreTables.CUSTOMERS.
-- version = Kafka offset of the record in customers. A soft delete is a version with deleted_at
-- set and the PII columns NULL: once parts merge only it remains. Reads use FINAL.
CREATE TABLE IF NOT EXISTS {database}.customers (
    workspace_id      String,
    id                String,
    external_id       String,
    email             Nullable(String),
    name              Nullable(String),
    avatar            Nullable(String),
    click_id          Nullable(String),
    attributes_keys   Array(String),
    attributes_values Array(String),
    pii_attributes    Array(String),
    created_at        DateTime('UTC'),
    updated_at        DateTime('UTC'),
    deleted_at        Nullable(DateTime('UTC')),
    version           Int64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (workspace_id, id);
