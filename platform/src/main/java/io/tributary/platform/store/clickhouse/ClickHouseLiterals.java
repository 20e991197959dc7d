package io.tributary.platform.store.clickhouse;

import io.tributary.platform.store.BoundQuery;
import io.tributary.platform.store.QueryParam;
import io.tributary.platform.store.ValueType;
import io.tributary.platform.store.SqlText;
import io.tributary.platform.store.WriteBatch;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Binds {@link BoundQuery} parameters into ClickHouse SQL text. ClickHouse 18.16 has no server-side
 * query parameters, so this is where injection safety lives: every value becomes one self-contained
 * literal whose type is the parameter's type, and only the {@code ?} that are code (not inside a
 * string literal, a quoted identifier or a comment — see {@link SqlText}) are replaced.
 *
 * <ul>
 *   <li>STRING → {@code '...'} with backslash and single quote escaped (plus NUL, CR, LF and TAB as
 *       {@code \0 \r \n \t} so logs stay readable); a string with an unpaired UTF-16 surrogate cannot
 *       be sent as UTF-8 and is rejected;</li>
 *   <li>INT32/INT64/FLOAT64/BOOLEAN → {@code toInt32(n)}, {@code toInt64(n)}, {@code toFloat64(x)},
 *       {@code toUInt8(0|1)}: typed like DuckDB's bound values, and a function call, so a negative
 *       number can never merge with a preceding {@code -} into a comment; NaN and infinities become
 *       {@code nan}/{@code inf}; subnormal doubles are rejected (18.16 cannot parse them);</li>
 *   <li>a placeholder right after LIMIT or OFFSET → a bare non-negative number (18.16 accepts nothing else there);</li>
 *   <li>DECIMAL → {@code toDecimal64('x', scale)} (toDecimal128 beyond 18 digits);</li>
 *   <li>TIMESTAMP → {@code toDateTime('YYYY-MM-DD HH:MM:SS', 'UTC')}, truncated to seconds and
 *       range-checked as {@link WriteBatch#timestamp} does; DATE → {@code toDate('YYYY-MM-DD')};</li>
 *   <li>arrays → {@code [..]} of the element literals; empty arrays {@code emptyArrayString()} /
 *       {@code emptyArrayInt64()} so that they keep their type.</li>
 * </ul>
 * A value that cannot be rendered exactly throws IllegalArgumentException: nothing is altered silently.
 */
public final class ClickHouseLiterals {
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final int DECIMAL64_DIGITS = 18;
    private static final int DECIMAL128_DIGITS = 38;

    private ClickHouseLiterals() {
    }

    /** {@code query.sql()} with every placeholder replaced by its parameter's literal. */
    public static String render(BoundQuery query) {
        String sql = query.sql();
        List<Integer> offsets = SqlText.placeholderOffsets(sql);
        StringBuilder out = new StringBuilder(sql.length() + 16 * offsets.size());
        int from = 0;
        for (int i = 0; i < offsets.size(); i++) {
            int at = offsets.get(i);
            QueryParam param = query.params().get(i);
            out.append(sql, from, at).append(isRowCount(sql, at) ? rowCount(param) : literal(param));
            from = at + 1;
        }
        return out.append(sql, from, sql.length()).toString();
    }

    /**
     * LIMIT and OFFSET take only a number literal on 18.16 ("Syntax error ... Expected number" for
     * {@code LIMIT toInt64(5)}), so a placeholder right after either keyword is rendered bare.
     */
    private static boolean isRowCount(String sql, int placeholder) {
        int end = placeholder;
        while (end > 0 && Character.isWhitespace(sql.charAt(end - 1))) {
            end--;
        }
        int start = end;
        while (start > 0 && Character.isLetter(sql.charAt(start - 1))) {
            start--;
        }
        String keyword = sql.substring(start, end);
        boolean wordBoundary = start == 0 || !Character.isLetterOrDigit(sql.charAt(start - 1)) && sql.charAt(start - 1) != '_';
        return wordBoundary && (keyword.equalsIgnoreCase("LIMIT") || keyword.equalsIgnoreCase("OFFSET"));
    }

    private static String rowCount(QueryParam param) {
        if ((param.type() != ValueType.INT32 && param.type() != ValueType.INT64) || ((Number) param.value()).longValue() < 0) {
            throw new IllegalArgumentException("LIMIT/OFFSET needs a non-negative integer parameter, got " + param);
        }
        return Long.toString(((Number) param.value()).longValue());
    }

    /** The ClickHouse literal of one parameter. */
    public static String literal(QueryParam param) {
        Object value = param.value();
        return switch (param.type()) {
            case STRING -> string((String) value);
            case INT32 -> "toInt32(" + value + ")";
            case INT64 -> "toInt64(" + value + ")";
            case FLOAT64 -> "toFloat64(" + float64((Double) value) + ")";
            case DECIMAL -> decimal((BigDecimal) value);
            case TIMESTAMP -> "toDateTime('" + DATE_TIME.format(WriteBatch.timestamp((Instant) value)) + "', 'UTC')";
            case DATE -> "toDate('" + date((LocalDate) value) + "')";
            case BOOLEAN -> (Boolean) value ? "toUInt8(1)" : "toUInt8(0)";
            case STRING_ARRAY -> array((List<?>) value, "emptyArrayString()", e -> string((String) e));
            case INT64_ARRAY -> array((List<?>) value, "emptyArrayInt64()", e -> "toInt64(" + e + ")");
        };
    }

    /** A single-quoted ClickHouse string literal of {@code value}. */
    public static String string(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    throw new IllegalArgumentException("string parameter has an unpaired UTF-16 surrogate at index " + i);
                }
                out.append(c).append(value.charAt(++i));
                continue;
            }
            if (Character.isLowSurrogate(c)) {
                throw new IllegalArgumentException("string parameter has an unpaired UTF-16 surrogate at index " + i);
            }
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '\0' -> out.append("\\0");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('\'').toString();
    }

    private static String float64(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value != 0 && Math.abs(value) < Double.MIN_NORMAL) {
            throw new IllegalArgumentException("FLOAT64 parameter " + value + " is subnormal; ClickHouse 18.16 cannot parse it");
        }
        return Double.toString(value);
    }

    private static String decimal(BigDecimal value) {
        BigDecimal v = value.scale() < 0 ? value.setScale(0) : value;
        if (v.precision() <= DECIMAL64_DIGITS && v.scale() <= DECIMAL64_DIGITS) {
            return "toDecimal64('" + v.toPlainString() + "', " + v.scale() + ")";
        }
        if (v.precision() <= DECIMAL128_DIGITS && v.scale() <= DECIMAL128_DIGITS) {
            return "toDecimal128('" + v.toPlainString() + "', " + v.scale() + ")";
        }
        throw new IllegalArgumentException("DECIMAL parameter " + v.toPlainString() + " has more than " + DECIMAL128_DIGITS + " digits");
    }

    private static String date(LocalDate value) {
        if (value.isBefore(WriteBatch.MIN_DATE) || value.isAfter(WriteBatch.MAX_DATE)) {
            throw new IllegalArgumentException("DATE parameter " + value + " is outside " + WriteBatch.MIN_DATE + ".." + WriteBatch.MAX_DATE);
        }
        return value.toString();
    }

    private static String array(List<?> elements, String empty, java.util.function.Function<Object, String> element) {
        if (elements.isEmpty()) {
            return empty;
        }
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(element.apply(elements.get(i)));
        }
        return out.append(']').toString();
    }
}
