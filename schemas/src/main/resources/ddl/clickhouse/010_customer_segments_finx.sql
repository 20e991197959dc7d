-- Segments of seed 001 (/v1/customer-segments) are the rows of customer_segments too
-- (StoreTables.CUSTOMER_SEGMENTS): criteria as written, created_at, and deleted for tombstones
-- (deleted = 1 rows keep only the key and version; reads filter them out).
ALTER TABLE {database}.customer_segments
    ADD COLUMN criteria Nullable(String),
    ADD COLUMN created_at Nullable(DateTime('UTC')),
    ADD COLUMN deleted UInt8 DEFAULT 0;
