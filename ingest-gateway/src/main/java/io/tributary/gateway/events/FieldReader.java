package io.tributary.gateway.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * Reads one JSON value (the parser's current token, never JSON null) into the Java value Avro
 * writes for a field's type. Built once per field from the datasource's schema; the rules:
 * <ul>
 *   <li>string: JSON strings, and JSON numbers as the text they were written with; at most
 *       {@code maxStringChars} characters; a required string may not be empty or blank;</li>
 *   <li>int / long: JSON integers within range; fractions, exponents and strings are refused;</li>
 *   <li>decimal(p, s): JSON numbers or numeric strings with at most s decimal places and at most
 *       p - s integer digits; never rounded;</li>
 *   <li>timestamp-millis and date: strings, see {@link Timestamps};</li>
 *   <li>boolean: true / false; float / double: finite JSON numbers; enum: one of the symbols.</li>
 * </ul>
 */
@FunctionalInterface
interface FieldReader {

    Object read(JsonParser p, JsonToken token) throws IOException, FieldRejection;

    /**
     * The reader for a field of (non-null) type {@code schema}.
     *
     * @throws IllegalArgumentException for types the Events API cannot take from JSON, so that a
     *                                  datasource with such a field fails at start-up, not per row
     */
    static FieldReader forSchema(Schema schema, boolean required, int maxStringChars) {
        LogicalType logical = schema.getLogicalType();
        return switch (schema.getType()) {
            case STRING -> stringReader(required, maxStringChars);
            case INT -> {
                if (logical == null) {
                    yield FieldReader::readInt;
                }
                if (logical instanceof LogicalTypes.Date) {
                    yield FieldReader::readDate;
                }
                throw unsupported(schema);
            }
            case LONG -> {
                if (logical == null) {
                    yield FieldReader::readLong;
                }
                if (logical instanceof LogicalTypes.TimestampMillis) {
                    yield FieldReader::readTimestampMillis;
                }
                throw unsupported(schema);
            }
            case BYTES -> {
                if (logical instanceof LogicalTypes.Decimal decimal) {
                    yield decimalReader(decimal.getPrecision(), decimal.getScale());
                }
                throw unsupported(schema);
            }
            case BOOLEAN -> FieldReader::readBoolean;
            case DOUBLE -> (p, t) -> readDouble(p, t, false);
            case FLOAT -> (p, t) -> readDouble(p, t, true);
            case ENUM -> enumReader(schema);
            default -> throw unsupported(schema);
        };
    }

    private static IllegalArgumentException unsupported(Schema schema) {
        return new IllegalArgumentException("the Events API cannot read fields of type " + schema + " from JSON");
    }

    private static FieldReader stringReader(boolean required, int maxChars) {
        return (p, t) -> {
            switch (t) {
                case VALUE_STRING -> {
                    int length = p.getTextLength();
                    if (length > maxChars) {
                        throw new FieldRejection("string of " + length + " characters is longer than the limit of " + maxChars);
                    }
                    String value = p.getText();
                    if (required && isBlank(value)) {
                        throw new FieldRejection("required field is empty");
                    }
                    return value;
                }
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                    return p.getText(); // as written: 1.50 stays "1.50"
                }
                default -> throw new FieldRejection("expected a string, got " + describe(t));
            }
        };
    }

    /** Blank, checking the first character before scanning: row values almost never start with a space. */
    private static boolean isBlank(String value) {
        if (value.isEmpty()) {
            return true;
        }
        char first = value.charAt(0);
        return (first <= ' ' || first >= '\u0080') && value.isBlank();
    }

    private static Object readInt(JsonParser p, JsonToken t) throws IOException, FieldRejection {
        requireInteger(p, t);
        if (p.getNumberType() != JsonParser.NumberType.INT) {
            throw new FieldRejection(p.getText() + " is out of range for int");
        }
        return p.getIntValue();
    }

    private static Object readLong(JsonParser p, JsonToken t) throws IOException, FieldRejection {
        requireInteger(p, t);
        JsonParser.NumberType type = p.getNumberType();
        if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) {
            throw new FieldRejection(p.getText() + " is out of range for long");
        }
        return p.getLongValue();
    }

    private static void requireInteger(JsonParser p, JsonToken t) throws IOException, FieldRejection {
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            throw new FieldRejection("expected an integer, got " + p.getText());
        }
        if (t != JsonToken.VALUE_NUMBER_INT) {
            throw new FieldRejection("expected an integer, got " + describe(t));
        }
    }

    private static FieldReader decimalReader(int precision, int scale) {
        int maxIntegerDigits = precision - scale;
        String type = "decimal(" + precision + "," + scale + ")";
        return (p, t) -> {
            BigDecimal value;
            switch (t) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> value = p.getDecimalValue(); // exact: from the text, not a double
                case VALUE_STRING -> value = parseDecimal(p.getText());
                default -> throw new FieldRejection("expected a number, got " + describe(t));
            }
            // Usual case first: no more decimals than the type keeps (49.99 for scale 4): no stripping needed.
            BigDecimal exact = value.scale() <= scale ? value : value.stripTrailingZeros();
            if (exact.scale() > scale) {
                throw new FieldRejection(FieldRejection.quote(p.getText()) + " has more than " + scale + " decimal places (" + type + "; values are never rounded)");
            }
            if (exact.precision() - exact.scale() > maxIntegerDigits) {
                throw new FieldRejection(FieldRejection.quote(p.getText()) + " is out of range for " + type);
            }
            return exact.setScale(scale); // widening the scale is exact
        };
    }

    private static BigDecimal parseDecimal(String text) throws FieldRejection {
        // A numeric string is at most a few dozen characters; longer is not a price.
        if (text.length() > 64) {
            throw new FieldRejection("expected a number, got a string of " + text.length() + " characters");
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new FieldRejection("expected a number, got " + FieldRejection.quote(text));
        }
    }

    private static Object readTimestampMillis(JsonParser p, JsonToken t) throws IOException, FieldRejection {
        if (t != JsonToken.VALUE_STRING) {
            throw new FieldRejection("expected a timestamp string, got " + describe(t));
        }
        return Instant.ofEpochMilli(Timestamps.parseTimestampMillis(p.getTextCharacters(), p.getTextOffset(), p.getTextLength()));
    }

    private static Object readDate(JsonParser p, JsonToken t) throws IOException, FieldRejection {
        if (t != JsonToken.VALUE_STRING) {
            throw new FieldRejection("expected a date string, got " + describe(t));
        }
        return LocalDate.ofEpochDay(Timestamps.parseEpochDay(p.getTextCharacters(), p.getTextOffset(), p.getTextLength()));
    }

    private static Object readBoolean(JsonParser p, JsonToken t) throws FieldRejection {
        return switch (t) {
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> throw new FieldRejection("expected true or false, got " + describe(t));
        };
    }

    private static Object readDouble(JsonParser p, JsonToken t, boolean asFloat) throws IOException, FieldRejection {
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new FieldRejection("expected a number, got " + describe(t));
        }
        double value = p.getDoubleValue();
        if (Double.isInfinite(value) || (asFloat && Float.isInfinite((float) value))) {
            throw new FieldRejection(p.getText() + " is out of range for " + (asFloat ? "float" : "double"));
        }
        return asFloat ? (Object) (float) value : (Object) value;
    }

    private static FieldReader enumReader(Schema schema) {
        List<String> symbols = schema.getEnumSymbols();
        Set<String> allowed = new HashSet<>(symbols);
        return (p, t) -> {
            if (t != JsonToken.VALUE_STRING) {
                throw new FieldRejection("expected one of " + symbols + ", got " + describe(t));
            }
            String value = p.getText();
            if (!allowed.contains(value)) {
                throw new FieldRejection("expected one of " + symbols + ", got " + FieldRejection.quote(value));
            }
            return new GenericData.EnumSymbol(schema, value);
        };
    }

    /** The kind of a JSON value, for messages. */
    static String describe(JsonToken t) {
        if (t == null) {
            return "no JSON value"; // e.g. a row of only NUL or whitespace bytes, which Jackson reads as the end of input
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }
}
