package io.tributary.query.pipes;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * How result values are written, as Tinybird (ClickHouse) writes them: DateTime
 * {@code YYYY-MM-DD HH:MM:SS}, Date {@code YYYY-MM-DD}, decimals and floats as plain numbers
 * without trailing zeros or exponent, integers as numbers, NULL as null (JSON) or an empty field (CSV).
 */
final class PipeValues {
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd", Locale.ROOT);

    private PipeValues() {
    }

    /** Writes a value with a JSON (or, for numbers and booleans, CSV) generator. */
    static void write(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof String s) {
            json.writeString(s);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            json.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigDecimal d) {
            json.writeNumber(plain(d));
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d)) {
                json.writeNumber(plain(d));
            } else {
                json.writeNull(); // JSON has no NaN or infinity
            }
        } else if (value instanceof Boolean b) {
            json.writeBoolean(b);
        } else if (value instanceof List<?> list) {
            json.writeStartArray();
            for (Object element : list) {
                write(json, element);
            }
            json.writeEndArray();
        } else {
            json.writeString(text(value));
        }
    }

    /** The value as CSV field text; null for NULL. Arrays are written as ClickHouse writes them: ['a','b'], [1,2]. */
    static String text(Object value) {
        if (value == null) {
            return null;
        } else if (value instanceof LocalDateTime t) {
            return DATE_TIME.format(t);
        } else if (value instanceof Instant i) {
            return DATE_TIME.format(LocalDateTime.ofInstant(i, ZoneOffset.UTC));
        } else if (value instanceof LocalDate d) {
            return DATE.format(d);
        } else if (value instanceof BigDecimal d) {
            return plain(d).toPlainString();
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? plain(d).toPlainString() : Double.toString(d).toLowerCase(Locale.ROOT);
        } else if (value instanceof List<?> list) {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                Object element = list.get(i);
                if (element instanceof String s) {
                    out.append('\'').append(s.replace("\\", "\\\\").replace("'", "\\'")).append('\'');
                } else {
                    out.append(element == null ? "NULL" : text(element));
                }
            }
            return out.append(']').toString();
        }
        return value.toString();
    }

    /** 49.9900 → 49.99, 100.0000 → 100; callers print with toPlainString so no exponent appears. */
    private static BigDecimal plain(BigDecimal d) {
        BigDecimal stripped = d.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    private static BigDecimal plain(double d) {
        return plain(new BigDecimal(Double.toString(d)));
    }
}
