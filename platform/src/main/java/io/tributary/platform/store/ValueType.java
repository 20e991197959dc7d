package io.tributary.platform.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Column and parameter types, with the Java value each carries:
 * STRING String, INT32 Integer, INT64 Long, FLOAT64 Double, DECIMAL BigDecimal, TIMESTAMP Instant,
 * DATE LocalDate, BOOLEAN Boolean, STRING_ARRAY List&lt;String&gt;, INT64_ARRAY List&lt;Long&gt;. Any value may
 * be null where the column is nullable; array elements are never null.
 *
 * <p>What the stores keep (the same in both, so that results are equal): DECIMAL columns are
 * Decimal(18, 4) — a value with more than 4 decimal places is rejected, never rounded; TIMESTAMP is
 * UTC with second precision (sub-second parts are truncated, as ClickHouse's DateTime does); TIMESTAMP
 * and DATE values must lie between 1970-01-01 and 2105-12-31 (UTC), the range ClickHouse 18.16 handles.
 */
public enum ValueType {
    STRING, INT32, INT64, FLOAT64, DECIMAL, TIMESTAMP, DATE, BOOLEAN, STRING_ARRAY, INT64_ARRAY;

    /** True when {@code value} (not null) is of the Java type this value type carries. */
    public boolean accepts(Object value) {
        return switch (this) {
            case STRING -> value instanceof String;
            case INT32 -> value instanceof Integer;
            case INT64 -> value instanceof Long;
            case FLOAT64 -> value instanceof Double;
            case DECIMAL -> value instanceof BigDecimal;
            case TIMESTAMP -> value instanceof Instant;
            case DATE -> value instanceof LocalDate;
            case BOOLEAN -> value instanceof Boolean;
            case STRING_ARRAY -> value instanceof List<?> list && allInstances(list, String.class);
            case INT64_ARRAY -> value instanceof List<?> list && allInstances(list, Long.class);
        };
    }

    /** Whether every element is a {@code type}: a loop, not a stream (this runs for every array value of every row written). */
    private static boolean allInstances(List<?> list, Class<?> type) {
        for (Object element : list) {
            if (!type.isInstance(element)) {
                return false;
            }
        }
        return true;
    }
}
