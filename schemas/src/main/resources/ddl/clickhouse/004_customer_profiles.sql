-- Customer profiles (seed 002's customer_profiles), latest per customer; StoreTables.CUSTOMER_PROFILES.
-- version = Kafka offset of the profile record; ReplacingMergeTree(version) keeps the newest once
-- parts merge, so reads use FINAL.
CREATE TABLE IF NOT EXISTS {database}.customer_profiles (
    workspace_id     String,
    customer_id      String,
    email            Nullable(String),
    first_name       Nullable(String),
    last_name        Nullable(String),
    age              Nullable(Int32),
    gender           Nullable(String),
    city             Nullable(String),
    country          Nullable(String),
    signup_date      Nullable(Date),
    last_login       Nullable(DateTime('UTC')),
    customer_segment Nullable(String),
    lifetime_value   Nullable(Decimal(18, 4)),
    ingested_at      DateTime('UTC'),
    version          Int64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (workspace_id, customer_id);
