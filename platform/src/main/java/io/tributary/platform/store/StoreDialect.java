package io.tributary.platform.store;

import java.util.Locale;

/** SQL dialect of a store: selects {@code ddl/<id>/} migrations and {@code SQL <id> >} sections of pipe files. */
public enum StoreDialect {
    DUCKDB, CLICKHOUSE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
