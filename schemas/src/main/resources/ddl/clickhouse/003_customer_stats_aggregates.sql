-- CustomerStats v2: sessions, distinct products/categories, devices, countries, average order
-- value and lifetime value (StoreTables.CUSTOMER_STATS). Rows written before this migration get
-- the defaults until their customer's next update.
ALTER TABLE {database}.customer_stats
    ADD COLUMN session_count Int64 DEFAULT 0,
    ADD COLUMN distinct_products Int64 DEFAULT 0,
    ADD COLUMN distinct_categories Int64 DEFAULT 0,
    ADD COLUMN devices Array(String) DEFAULT emptyArrayString(),
    ADD COLUMN countries Array(String) DEFAULT emptyArrayString(),
    ADD COLUMN average_order_value Nullable(Decimal(18, 4)),
    ADD COLUMN lifetime_value Nullable(Decimal(18, 4));
