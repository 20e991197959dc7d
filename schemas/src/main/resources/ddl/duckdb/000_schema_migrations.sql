-- Bookkeeping: one row per applied migration file. Run at every start (IF NOT EXISTS).
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    VARCHAR   NOT NULL PRIMARY KEY, -- the migration's file name
    applied_at TIMESTAMP NOT NULL              -- UTC
);
