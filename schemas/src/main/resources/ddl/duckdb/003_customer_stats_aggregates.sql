-- CustomerStats v2: sessions, distinct products/categories, devices, countries, average order
-- value and lifetime value (StoreTables.CUSTOMER_STATS). Rows written before this migration get
-- the defaults until their customer's next update.
ALTER TABLE customer_stats ADD COLUMN session_count BIGINT DEFAULT 0;
ALTER TABLE customer_stats ADD COLUMN distinct_products BIGINT DEFAULT 0;
ALTER TABLE customer_stats ADD COLUMN distinct_categories BIGINT DEFAULT 0;
ALTER TABLE customer_stats ADD COLUMN devices VARCHAR[] DEFAULT [];
ALTER TABLE customer_stats ADD COLUMN countries VARCHAR[] DEFAULT [];
ALTER TABLE customer_stats ADD COLUMN average_order_value DECIMAL(18,4);
ALTER TABLE customer_stats ADD COLUMN lifetime_value DECIMAL(18,4);
