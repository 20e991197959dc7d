-- Raw customer events (seed 002's customer_events datasource plus workspace_id and ingested_at).
-- Columns match io.tributary.platform.store.StoreTables.CUSTOMER_EVENTS one to one.
--
-- The primary key is what makes sink replays harmless: DuckDbStore writes with
-- INSERT OR IGNORE, so an event_id already stored is left as it is (first write wins).
-- Timestamps are UTC with second precision, like ClickHouse's DateTime; money is DECIMAL(18,4).
CREATE TABLE IF NOT EXISTS customer_events (
    workspace_id    VARCHAR       NOT NULL,
    event_id        VARCHAR       NOT NULL,
    customer_id     VARCHAR       NOT NULL,
    event_type      VARCHAR       NOT NULL,
    event_timestamp TIMESTAMP     NOT NULL,
    session_id      VARCHAR,
    page_url        VARCHAR,
    product_id      VARCHAR,
    category_id     VARCHAR,
    price           DECIMAL(18,4),
    quantity        INTEGER,
    device_type     VARCHAR,
    country         VARCHAR,
    referrer        VARCHAR,
    user_agent      VARCHAR,
    ingested_at     TIMESTAMP     NOT NULL,
    PRIMARY KEY (workspace_id, event_id)
);
