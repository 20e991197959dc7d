package io.tributary.query.pipes;

import io.tributary.platform.store.ValueType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The types a pipe parameter may declare, named as in Tinybird and ClickHouse, with the Java value
 * each binds ({@link ValueType} documents the store side).
 */
public enum PipeParamType {
    STRING("String", ValueType.STRING, "a String"),
    INT32("Int32", ValueType.INT32, "an Int32 (a whole number from -2147483648 to 2147483647)"),
    INT64("Int64", ValueType.INT64, "an Int64 (a whole number)"),
    FLOAT64("Float64", ValueType.FLOAT64, "a Float64 (a number such as 12.5 or 1e3)"),
    DECIMAL("Decimal", ValueType.DECIMAL, "a Decimal (a number such as 49.99)"),
    DATE("Date", ValueType.DATE, "a Date as YYYY-MM-DD"),
    DATETIME("DateTime", ValueType.TIMESTAMP,
            "a DateTime as YYYY-MM-DD HH:MM:SS (also accepted: YYYY-MM-DD, or ISO-8601 such as 2023-06-15T14:30:45Z)"),
    BOOLEAN("Boolean", ValueType.BOOLEAN, "a Boolean (true, false, 1 or 0)");

    /*
     * ClickHouse 18.16's DateTime is an unsigned 32-bit count of seconds, so values outside this
     * window would silently differ between the stores; reject them on both.
     */
    static final LocalDateTime EARLIEST = LocalDateTime.of(1970, 1, 1, 0, 0, 0);
    static final LocalDateTime LATEST = LocalDateTime.of(2105, 12, 31, 23, 59, 59);

    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern DECIMAL_NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");
    private static final Pattern FLOAT_NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final DateTimeFormatter DATE_FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd", Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter SPACED_DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT);

    private final String typeName;
    private final ValueType valueType;
    private final String expectation;

    PipeParamType(String typeName, ValueType valueType, String expectation) {
        this.typeName = typeName;
        this.valueType = valueType;
        this.expectation = expectation;
    }

    /** The name pipe files and the pipe listing use: String, Int32, ..., DateTime, Boolean. */
    public String typeName() {
        return typeName;
    }

    public ValueType valueType() {
        return valueType;
    }

    /** What a valid value looks like, phrased to follow "must be": "a Date as YYYY-MM-DD". */
    public String expectation() {
        return expectation;
    }

    public boolean isNumeric() {
        return this == INT32 || this == INT64 || this == FLOAT64 || this == DECIMAL;
    }

    public boolean isInteger() {
        return this == INT32 || this == INT64;
    }

    public static Optional<PipeParamType> byName(String typeName) {
        return Arrays.stream(values()).filter(t -> t.typeName.equals(typeName)).findFirst();
    }

    public static String names() {
        return Arrays.stream(values()).map(PipeParamType::typeName).collect(Collectors.joining(", "));
    }

    /**
     * Parses {@code text} into the value this type binds (String, Integer, Long, Double,
     * BigDecimal, LocalDate, Instant, Boolean).
     *
     * @throws ParamValueException naming the problem, phrased to follow "parameter 'x' "
     */
    public Object parse(String text) {
        String s = text.trim();
        try {
            return switch (this) {
                case STRING -> text;
                case INT32 -> {
                    requireMatch(INTEGER, s);
                    yield Integer.parseInt(s);
                }
                case INT64 -> {
                    requireMatch(INTEGER, s);
                    yield Long.parseLong(s);
                }
                case FLOAT64 -> {
                    requireMatch(FLOAT_NUMBER, s);
                    double d = Double.parseDouble(s);
                    if (Double.isInfinite(d)) {
                        throw new ParamValueException("is out of range for " + expectation);
                    }
                    yield d;
                }
                case DECIMAL -> {
                    requireMatch(DECIMAL_NUMBER, s);
                    yield new BigDecimal(s);
                }
                case DATE -> {
                    LocalDate date = LocalDate.parse(s, DATE_FORMAT);
                    requireWithinStoreRange(date.atStartOfDay());
                    yield date;
                }
                case DATETIME -> {
                    LocalDateTime utc = parseDateTime(s);
                    requireWithinStoreRange(utc);
                    yield utc.toInstant(ZoneOffset.UTC);
                }
                case BOOLEAN -> switch (s.toLowerCase(Locale.ROOT)) {
                    case "true", "1" -> Boolean.TRUE;
                    case "false", "0" -> Boolean.FALSE;
                    default -> throw mustBe();
                };
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            throw mustBe();
        }
    }

    private void requireMatch(Pattern pattern, String s) {
        if (!pattern.matcher(s).matches()) {
            throw mustBe();
        }
    }

    private ParamValueException mustBe() {
        return new ParamValueException("must be " + expectation);
    }

    private void requireWithinStoreRange(LocalDateTime value) {
        if (value.isBefore(EARLIEST) || value.isAfter(LATEST)) {
            throw new ParamValueException("must be between 1970-01-01 and 2105-12-31 (the range both stores can hold)");
        }
    }

    private static LocalDateTime parseDateTime(String s) {
        if (s.length() == 10) {
            return LocalDate.parse(s, DATE_FORMAT).atTime(LocalTime.MIDNIGHT);
        }
        if (s.length() == 19 && s.charAt(10) == ' ') {
            return LocalDateTime.parse(s, SPACED_DATE_TIME);
        }
        // ISO-8601: a value with an offset is converted to UTC; one without is taken as UTC already
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        } catch (DateTimeParseException withoutOffset) {
            return LocalDateTime.parse(s, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
        }
    }

    /** Converts a parsed numeric value to BigDecimal so that min/max compare across Java types. */
    static BigDecimal numeric(Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof Double d) {
            return BigDecimal.valueOf(d);
        }
        return BigDecimal.valueOf(((Number) value).longValue());
    }
}
