-- CustomerEvent v2: identity and attribution fields of seed 003 (StoreTables.CUSTOMER_EVENTS).
-- Events stored before this migration have them NULL.
ALTER TABLE {database}.customer_events
    ADD COLUMN email Nullable(String),
    ADD COLUMN click_id Nullable(String),
    ADD COLUMN link_id Nullable(String),
    ADD COLUMN utm_source Nullable(String),
    ADD COLUMN utm_medium Nullable(String),
    ADD COLUMN utm_campaign Nullable(String);
