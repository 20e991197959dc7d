package io.tributary.platform.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a writer needs to know about a table: its columns in write order, the key that identifies
 * a row, and for {@link WriteMode#UPSERT_NEWER_VERSION} the version column. The DDL itself is in
 * {@code ddl/<dialect>/} (schemas module).
 */
public record StoreTable(String name, List<StoreColumn> columns, List<String> keyColumns, Optional<String> versionColumn, WriteMode mode) {
    public StoreTable {
        Objects.requireNonNull(name);
        columns = List.copyOf(columns);
        keyColumns = List.copyOf(keyColumns);
        Objects.requireNonNull(versionColumn);
        Objects.requireNonNull(mode);
        if (mode == WriteMode.UPSERT_NEWER_VERSION && versionColumn.isEmpty()) {
            throw new IllegalArgumentException(name + ": upserts need a version column");
        }
    }

    public int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException(name + " has no column " + column);
    }
}
