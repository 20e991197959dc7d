package io.tributary.platform.store;

import java.util.Objects;

/**
 * A column of a store table. {@code nullable} mirrors the DDL (NOT NULL in DuckDB, no Nullable() in
 * ClickHouse): adapters reject a null in a non-nullable column before sending anything, because
 * ClickHouse 18.16 would answer such an insert with an error that carries no text.
 */
public record StoreColumn(String name, ValueType type, boolean nullable) {
    public StoreColumn {
        Objects.requireNonNull(name);
        Objects.requireNonNull(type);
    }

    /** A nullable column (kept for callers written before nullability was declared). */
    public StoreColumn(String name, ValueType type) {
        this(name, type, true);
    }

    public static StoreColumn required(String name, ValueType type) {
        return new StoreColumn(name, type, false);
    }

    public static StoreColumn optional(String name, ValueType type) {
        return new StoreColumn(name, type, true);
    }
}
