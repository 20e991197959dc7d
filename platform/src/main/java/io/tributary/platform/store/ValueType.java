package io.tributary.platform.store;

/**
 * Column and parameter types, with the Java value each carries:
 * STRING String, INT32 Integer, INT64 Long, FLOAT64 Double, DECIMAL BigDecimal, TIMESTAMP Instant
 * (UTC, second precision in the store), DATE LocalDate, BOOLEAN Boolean, STRING_ARRAY List&lt;String&gt;,
 * INT64_ARRAY List&lt;Long&gt;. Any value may be null where the column is nullable.
 */
public enum ValueType {
    STRING, INT32, INT64, FLOAT64, DECIMAL, TIMESTAMP, DATE, BOOLEAN, STRING_ARRAY, INT64_ARRAY
}
