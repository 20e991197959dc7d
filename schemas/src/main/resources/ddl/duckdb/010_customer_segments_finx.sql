-- Segments of seed 001 (/v1/customer-segments) are the rows of customer_segments too
-- (StoreTables.CUSTOMER_SEGMENTS): criteria as written, created_at, and deleted for tombstones
-- (deleted = true rows keep only the key and version; reads filter them out).
ALTER TABLE customer_segments ADD COLUMN criteria VARCHAR;
ALTER TABLE customer_segments ADD COLUMN created_at TIMESTAMP;
ALTER TABLE customer_segments ADD COLUMN deleted BOOLEAN DEFAULT false;
