package io.tributary.platform.store.duckdb;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DuckDB result types and values in the normalised form of {@link io.tributary.platform.store.QueryResult}:
 * ClickHouse-style type names and the Java values ClickHouse results map to, so that one pipe gives
 * the same JSON on both stores. BOOLEAN is reported as UInt8 with 0/1, because ClickHouse 18.16 has
 * no Bool type and its comparisons yield UInt8.
 */
final class DuckDbValues {
    private static final Pattern DECIMAL = Pattern.compile("DECIMAL\\((\\d+),\\s*(\\d+)\\)");
    private static final Pattern ARRAY_SUFFIX = Pattern.compile("^(.*)\\[\\d*]$");
    private static final Map<String, String> SCALAR_NAMES = Map.ofEntries(
            Map.entry("VARCHAR", "String"),
            Map.entry("BIGINT", "Int64"),
            Map.entry("INTEGER", "Int32"),
            Map.entry("SMALLINT", "Int16"),
            Map.entry("TINYINT", "Int8"),
            Map.entry("UBIGINT", "UInt64"),
            Map.entry("UINTEGER", "UInt32"),
            Map.entry("USMALLINT", "UInt16"),
            Map.entry("UTINYINT", "UInt8"),
            Map.entry("HUGEINT", "Int128"),
            Map.entry("UHUGEINT", "UInt128"),
            Map.entry("DOUBLE", "Float64"),
            Map.entry("FLOAT", "Float32"),
            Map.entry("TIMESTAMP", "DateTime"),
            Map.entry("TIMESTAMP_S", "DateTime"),
            Map.entry("TIMESTAMP_MS", "DateTime"),
            Map.entry("TIMESTAMP_NS", "DateTime"),
            Map.entry("TIMESTAMP WITH TIME ZONE", "DateTime"),
            Map.entry("DATE", "Date"),
            Map.entry("BOOLEAN", "UInt8"),
            Map.entry("UUID", "UUID"));

    private DuckDbValues() {
    }

    /** The ClickHouse-style name of a DuckDB type name as JDBC reports it (e.g. {@code DECIMAL(18,4)} → {@code Decimal(18, 4)}). */
    static String typeName(String duckDbType) {
        String type = duckDbType.strip();
        Matcher array = ARRAY_SUFFIX.matcher(type);
        if (array.matches()) {
            return "Array(" + typeName(array.group(1)) + ")";
        }
        Matcher decimal = DECIMAL.matcher(type.toUpperCase(Locale.ROOT));
        if (decimal.matches()) {
            return "Decimal(" + decimal.group(1) + ", " + decimal.group(2) + ")";
        }
        return SCALAR_NAMES.getOrDefault(type.toUpperCase(Locale.ROOT), type);
    }

    /** Column {@code index} of the current row, normalised. */
    static Object value(ResultSet rs, int index, String duckDbType) throws SQLException {
        String type = duckDbType.strip().toUpperCase(Locale.ROOT);
        // Timestamps are read as LocalDateTime directly: going through java.sql.Timestamp would pass
        // through the JVM's time zone and shift wall-clock times that fall into a DST gap.
        switch (type) {
            case "TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS" -> {
                return rs.getObject(index, LocalDateTime.class);
            }
            case "TIMESTAMP WITH TIME ZONE" -> {
                OffsetDateTime t = rs.getObject(index, OffsetDateTime.class);
                return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
            }
            case "DATE" -> {
                return rs.getObject(index, LocalDate.class);
            }
            default -> {
                return normalise(rs.getObject(index));
            }
        }
    }

    /** A value as DuckDB's JDBC driver returns it, normalised by its Java type. */
    static Object normalise(Object value) throws SQLException {
        if (value == null) {
            return null;
        }
        if (value instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            return big.bitLength() < Long.SIZE ? (Object) big.longValue() : big;
        }
        if (value instanceof Float || value instanceof Double) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof BigDecimal || value instanceof String || value instanceof LocalDateTime || value instanceof LocalDate) {
            return value;
        }
        if (value instanceof Timestamp t) {
            // only array elements get here (top-level timestamps are read as LocalDateTime)
            return t.toLocalDateTime();
        }
        if (value instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        if (value instanceof OffsetDateTime t) {
            return t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        if (value instanceof Array array) {
            Object[] elements = (Object[]) array.getArray();
            List<Object> list = new ArrayList<>(elements.length);
            for (Object element : elements) {
                list.add(normalise(element));
            }
            return Collections.unmodifiableList(list);
        }
        return value.toString();
    }
}
