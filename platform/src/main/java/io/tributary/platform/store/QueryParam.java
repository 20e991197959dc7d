package io.tributary.platform.store;

import java.util.Objects;

/** A bound query parameter; {@code value}'s Java type is the one {@link ValueType} documents (never null). */
public record QueryParam(ValueType type, Object value) {
    public QueryParam {
        Objects.requireNonNull(type);
        Objects.requireNonNull(value, "bound parameters are never null; leave the condition out instead");
    }

    public static QueryParam string(String value) {
        return new QueryParam(ValueType.STRING, value);
    }

    public static QueryParam int64(long value) {
        return new QueryParam(ValueType.INT64, value);
    }
}
