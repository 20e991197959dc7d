CREATE DATABASE IF NOT EXISTS {database};

-- Bookkeeping: one row per applied migration file. ReplacingMergeTree so that two instances
-- migrating at once, each recording the same file, still read as one row (read with FINAL).
CREATE TABLE IF NOT EXISTS {database}.schema_migrations (
    version    String,            -- the migration's file name
    applied_at DateTime('UTC')
) ENGINE = ReplacingMergeTree
ORDER BY version;
