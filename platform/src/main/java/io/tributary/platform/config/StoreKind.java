package io.tributary.platform.config;

/** Which analytics store a process uses. */
public enum StoreKind {
    DUCKDB, CLICKHOUSE
}
