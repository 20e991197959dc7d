package io.tributary.platform.store;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch of rows as every adapter writes it: checked against the table's columns, each value
 * normalised to what both stores keep (see {@link ValueType}), and reduced to one row per key the way
 * the table's {@link WriteMode} resolves duplicates, so that a batch never conflicts with itself:
 * <ul>
 *   <li>{@link WriteMode#INSERT_IGNORE_EXISTING}: the first row of a key wins (later ones are replays);</li>
 *   <li>{@link WriteMode#UPSERT_NEWER_VERSION}: the row with the highest version wins; on equal versions
 *       the first one.</li>
 * </ul>
 * Checking here, before anything is sent, gives both stores the same rejections with a row and
 * column in the message (ClickHouse 18.16 would reject a bad insert without any error text).
 *
 * @param rows the surviving rows in the order their key first appeared; each row is unmodifiable
 *             and aligned with {@code table.columns()}
 */
public record WriteBatch(StoreTable table, List<List<Object>> rows, int duplicatesDropped) {

    /** Decimal(18, 4): the scale of every DECIMAL column, and the largest unscaled precision. */
    public static final int DECIMAL_SCALE = 4;
    public static final int DECIMAL_PRECISION = 18;
    /**
     * The range ClickHouse 18.16's DateTime and Date handle correctly, which both stores enforce:
     * 1970-01-01 to 2105-12-31 (18.16's date tables end there; later values silently wrap to 1970).
     */
    public static final Instant MIN_TIMESTAMP = Instant.EPOCH;
    public static final Instant MAX_TIMESTAMP = Instant.parse("2105-12-31T23:59:59Z");
    public static final LocalDate MIN_DATE = LocalDate.EPOCH;
    public static final LocalDate MAX_DATE = LocalDate.of(2105, 12, 31);

    public WriteBatch {
        rows = List.copyOf(rows);
    }

    /** Checks, normalises and deduplicates {@code rows}; throws IllegalArgumentException naming the row and column of the first bad value. */
    public static WriteBatch of(StoreTable table, List<Object[]> rows) {
        List<StoreColumn> columns = table.columns();
        int[] keyIndexes = table.keyColumns().stream().mapToInt(table::indexOf).toArray();
        int versionIndex = table.versionColumn().map(table::indexOf).orElse(-1);
        Map<List<Object>, List<Object>> byKey = new LinkedHashMap<>();
        for (int r = 0; r < rows.size(); r++) {
            Object[] row = rows.get(r);
            if (row == null || row.length != columns.size()) {
                throw new IllegalArgumentException(table.name() + " row " + r + " has " + (row == null ? "no" : row.length)
                        + " values, the table has " + columns.size() + " columns");
            }
            Object[] normalised = new Object[row.length];
            for (int c = 0; c < row.length; c++) {
                normalised[c] = normalise(table, r, columns.get(c), row[c]);
            }
            List<Object> key = new ArrayList<>(keyIndexes.length);
            for (int k : keyIndexes) {
                key.add(normalised[k]);
            }
            List<Object> candidate = Collections.unmodifiableList(Arrays.asList(normalised));
            List<Object> kept = byKey.get(key);
            if (kept == null || (table.mode() == WriteMode.UPSERT_NEWER_VERSION
                    && (Long) candidate.get(versionIndex) > (Long) kept.get(versionIndex))) {
                byKey.put(key, candidate);
            }
        }
        return new WriteBatch(table, new ArrayList<>(byKey.values()), rows.size() - byKey.size());
    }

    private static Object normalise(StoreTable table, int row, StoreColumn column, Object value) {
        if (value == null) {
            if (!column.nullable()) {
                throw bad(table, row, column, "is null but the column is required");
            }
            return null;
        }
        if (!column.type().accepts(value)) {
            throw bad(table, row, column, "holds a " + value.getClass().getName() + " but a " + column.type()
                    + " column takes the Java type ValueType documents (list elements included, never null)");
        }
        return switch (column.type()) {
            case DECIMAL -> decimal(table, row, column, (BigDecimal) value);
            case TIMESTAMP -> timestamp(table, row, column, (Instant) value);
            case DATE -> {
                LocalDate date = (LocalDate) value;
                if (date.isBefore(MIN_DATE) || date.isAfter(MAX_DATE)) {
                    throw bad(table, row, column, date + " is outside " + MIN_DATE + ".." + MAX_DATE);
                }
                yield date;
            }
            case FLOAT64 -> {
                if (!Double.isFinite((Double) value)) {
                    throw bad(table, row, column, value + " is not a finite number");
                }
                yield value;
            }
            case STRING_ARRAY, INT64_ARRAY -> List.copyOf((List<?>) value);
            default -> value;
        };
    }

    /** {@code value} with the store's scale; more decimal places or digits than Decimal(18, 4) holds are rejected. */
    public static BigDecimal decimal(BigDecimal value) {
        BigDecimal scaled;
        try {
            scaled = value.setScale(DECIMAL_SCALE, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(value.toPlainString() + " has more than " + DECIMAL_SCALE + " decimal places", e);
        }
        if (scaled.precision() > DECIMAL_PRECISION) {
            throw new IllegalArgumentException(value.toPlainString() + " has more than " + DECIMAL_PRECISION + " digits");
        }
        return scaled;
    }

    /** {@code value} truncated to whole seconds; outside ClickHouse's DateTime range it is rejected. */
    public static Instant timestamp(Instant value) {
        Instant seconds = value.truncatedTo(ChronoUnit.SECONDS);
        if (seconds.isBefore(MIN_TIMESTAMP) || seconds.isAfter(MAX_TIMESTAMP)) {
            throw new IllegalArgumentException(value + " is outside " + MIN_TIMESTAMP + ".." + MAX_TIMESTAMP);
        }
        return seconds;
    }

    private static BigDecimal decimal(StoreTable table, int row, StoreColumn column, BigDecimal value) {
        try {
            return decimal(value);
        } catch (IllegalArgumentException e) {
            throw bad(table, row, column, e.getMessage());
        }
    }

    private static Instant timestamp(StoreTable table, int row, StoreColumn column, Instant value) {
        try {
            return timestamp(value);
        } catch (IllegalArgumentException e) {
            throw bad(table, row, column, e.getMessage());
        }
    }

    private static IllegalArgumentException bad(StoreTable table, int row, StoreColumn column, String problem) {
        return new IllegalArgumentException(table.name() + " row " + row + " column " + column.name() + " " + problem);
    }
}
