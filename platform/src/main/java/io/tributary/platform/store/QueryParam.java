package io.tributary.platform.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/** A bound query parameter; {@code value}'s Java type is the one {@link ValueType} documents (never null). */
public record QueryParam(ValueType type, Object value) {
    public QueryParam {
        Objects.requireNonNull(type);
        Objects.requireNonNull(value, "bound parameters are never null; leave the condition out instead");
        if (!type.accepts(value)) {
            throw new IllegalArgumentException(type + " parameter needs the Java type ValueType documents, got "
                    + value.getClass().getName());
        }
        if (value instanceof List<?> list) {
            value = List.copyOf(list);
        }
    }

    public static QueryParam string(String value) {
        return new QueryParam(ValueType.STRING, value);
    }

    public static QueryParam int32(int value) {
        return new QueryParam(ValueType.INT32, value);
    }

    public static QueryParam int64(long value) {
        return new QueryParam(ValueType.INT64, value);
    }

    public static QueryParam float64(double value) {
        return new QueryParam(ValueType.FLOAT64, value);
    }

    public static QueryParam decimal(BigDecimal value) {
        return new QueryParam(ValueType.DECIMAL, value);
    }

    public static QueryParam timestamp(Instant value) {
        return new QueryParam(ValueType.TIMESTAMP, value);
    }

    public static QueryParam date(LocalDate value) {
        return new QueryParam(ValueType.DATE, value);
    }

    public static QueryParam bool(boolean value) {
        return new QueryParam(ValueType.BOOLEAN, value);
    }

    public static QueryParam stringArray(List<String> value) {
        return new QueryParam(ValueType.STRING_ARRAY, value);
    }

    public static QueryParam int64Array(List<Long> value) {
        return new QueryParam(ValueType.INT64_ARRAY, value);
    }
}
