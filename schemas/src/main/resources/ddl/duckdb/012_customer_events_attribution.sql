-- CustomerEvent v2: identity and attribution fields of seed 003 (StoreTables.CUSTOMER_EVENTS).
-- Events stored before this migration have them NULL.
ALTER TABLE customer_events ADD COLUMN email VARCHAR;
ALTER TABLE customer_events ADD COLUMN click_id VARCHAR;
ALTER TABLE customer_events ADD COLUMN link_id VARCHAR;
ALTER TABLE customer_events ADD COLUMN utm_source VARCHAR;
ALTER TABLE customer_events ADD COLUMN utm_medium VARCHAR;
ALTER TABLE customer_events ADD COLUMN utm_campaign VARCHAR;
