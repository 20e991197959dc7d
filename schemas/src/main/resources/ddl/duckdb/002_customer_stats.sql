-- Latest running statistics per customer, written by the customer-stats sink.
-- Columns match io.tributary.platform.store.StoreTables.CUSTOMER_STATS one to one; the Avro map
-- events_by_type is stored as two aligned arrays sorted by key (events_by_type_keys/_values).
--
-- DuckDbStore upserts with INSERT ... ON CONFLICT (workspace_id, customer_id) DO UPDATE ...
-- WHERE excluded.version > customer_stats.version: the highest version wins whatever the order
-- in which updates arrive; an equal or older version changes nothing.
CREATE TABLE IF NOT EXISTS customer_stats (
    workspace_id          VARCHAR       NOT NULL,
    customer_id           VARCHAR       NOT NULL,
    event_count           BIGINT        NOT NULL,
    events_by_type_keys   VARCHAR[]     NOT NULL,
    events_by_type_values BIGINT[]      NOT NULL,
    purchase_count        BIGINT        NOT NULL,
    items_purchased       BIGINT        NOT NULL,
    total_spent           DECIMAL(18,4) NOT NULL,
    first_seen            TIMESTAMP     NOT NULL,
    last_seen             TIMESTAMP     NOT NULL,
    first_purchase_at     TIMESTAMP,
    last_purchase_at      TIMESTAMP,
    version               BIGINT        NOT NULL,
    updated_at            TIMESTAMP     NOT NULL,
    PRIMARY KEY (workspace_id, customer_id)
);
