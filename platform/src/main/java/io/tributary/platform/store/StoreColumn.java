package io.tributary.platform.store;

/** A column of a store table. */
public record StoreColumn(String name, ValueType type) {
}
