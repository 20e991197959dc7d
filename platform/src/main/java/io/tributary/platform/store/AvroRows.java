package io.tributary.platform.store;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Maps Avro records onto store rows by field name, so that a table needs no hand-written
 * mapping: column {@code x} takes field {@code x}; a map field {@code m} fills the two array
 * columns {@code m_keys} and {@code m_values}, sorted by key. Columns that are not record fields
 * (e.g. {@code version} = the record's Kafka offset) are given by the caller. A {@code STRING}
 * column fed by a record or array field holds its JSON. {@link #toExplodedRows} makes one row per
 * element of an array-of-records field (a customer's dated metrics): each column from the element
 * where it has the field, else from the enclosing record.
 */
public final class AvroRows {
    private static final String KEYS = "_keys";
    private static final String VALUES = "_values";

    private AvroRows() {
    }

    public static Object[] toRow(StoreTable table, GenericRecord record) {
        return toRow(table, record, Map.of());
    }

    /** As {@link #toRow(StoreTable, GenericRecord)}, with the columns in {@code given} taken from it instead of the record. */
    public static Object[] toRow(StoreTable table, GenericRecord record, Map<String, Object> given) {
        List<StoreColumn> columns = table.columns();
        Object[] row = new Object[columns.size()];
        for (int i = 0; i < row.length; i++) {
            StoreColumn column = columns.get(i);
            row[i] = given.containsKey(column.name()) ? given.get(column.name()) : value(table, column, record);
        }
        return row;
    }

    /**
     * The row that stands for a deleted entity (a tombstone, which has no record): the columns in
     * {@code given} (key columns, version, deleted) as given; every other column null, or where the
     * column is required the zero of its type ({@code ""}, 0, false, epoch, empty array) — so no data
     * of the entity survives in the row.
     */
    public static Object[] tombstoneRow(StoreTable table, Map<String, Object> given) {
        List<StoreColumn> columns = table.columns();
        Object[] row = new Object[columns.size()];
        for (int i = 0; i < row.length; i++) {
            StoreColumn column = columns.get(i);
            row[i] = given.containsKey(column.name()) ? given.get(column.name()) : column.nullable() ? null : zero(column.type());
        }
        return row;
    }

    private static Object zero(ValueType type) {
        return switch (type) {
            case STRING -> "";
            case INT32 -> 0;
            case INT64 -> 0L;
            case FLOAT64 -> 0.0;
            case DECIMAL -> BigDecimal.ZERO;
            case TIMESTAMP -> Instant.EPOCH;
            case DATE -> LocalDate.EPOCH;
            case BOOLEAN -> false;
            case STRING_ARRAY, INT64_ARRAY -> List.of();
        };
    }

    /**
     * One row per element of the array field {@code arrayField} of {@code record} (elements are
     * records): columns from the element's fields (maps as {@code _keys}/{@code _values}) where it
     * has them, else from {@code record}'s, else from {@code given}.
     */
    public static List<Object[]> toExplodedRows(StoreTable table, GenericRecord record, String arrayField, Map<String, Object> given) {
        Object elements = record.get(arrayField);
        if (!(elements instanceof List<?> list)) {
            throw new IllegalArgumentException(record.getSchema().getFullName() + " has no array field " + arrayField);
        }
        List<StoreColumn> columns = table.columns();
        List<Object[]> rows = new ArrayList<>(list.size());
        // Resolved once per record, not per element (a customer's upload is 200 elements): which columns the
        // elements give, and the values of the others, which are the same in every row.
        Object[] shared = new Object[columns.size()];
        boolean[] fromElement = new boolean[columns.size()];
        Schema elementSchema = null;
        for (Object element : list) {
            GenericRecord inner = (GenericRecord) element;
            if (inner.getSchema() != elementSchema) {
                elementSchema = inner.getSchema();
                for (int i = 0; i < shared.length; i++) {
                    StoreColumn column = columns.get(i);
                    fromElement[i] = !given.containsKey(column.name()) && has(elementSchema, column.name());
                    if (!fromElement[i] && shared[i] == null) {
                        shared[i] = given.containsKey(column.name()) ? given.get(column.name()) : value(table, column, record);
                    }
                }
            }
            Object[] row = new Object[columns.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = fromElement[i] ? value(table, columns.get(i), inner) : shared[i];
            }
            rows.add(row);
        }
        return rows;
    }

    /** Whether records of {@code schema} have the field a column reads (itself, or the map behind an _keys/_values column). */
    private static boolean has(Schema schema, String column) {
        if (schema.getField(column) != null) {
            return true;
        }
        for (String suffix : List.of(KEYS, VALUES)) {
            if (column.endsWith(suffix) && schema.getField(column.substring(0, column.length() - suffix.length())) != null) {
                return true;
            }
        }
        return false;
    }

    public static List<Object[]> toRows(StoreTable table, List<? extends GenericRecord> records) {
        List<Object[]> rows = new ArrayList<>(records.size());
        for (GenericRecord record : records) {
            rows.add(toRow(table, record));
        }
        return rows;
    }

    private static Object value(StoreTable table, StoreColumn column, GenericRecord record) {
        String name = column.name();
        Schema.Field field = record.getSchema().getField(name);
        if (field != null) {
            return convert(column, field.schema(), record.get(field.pos()));
        }
        if (name.endsWith(KEYS) || name.endsWith(VALUES)) {
            boolean keys = name.endsWith(KEYS);
            String mapName = name.substring(0, name.length() - (keys ? KEYS.length() : VALUES.length()));
            Schema.Field mapField = record.getSchema().getField(mapName);
            if (mapField != null && nonNull(mapField.schema()).getType() == Schema.Type.MAP) {
                Map<?, ?> map = (Map<?, ?>) record.get(mapField.pos());
                TreeMap<String, Object> sorted = new TreeMap<>();
                if (map != null) {
                    map.forEach((k, v) -> sorted.put(k.toString(), v));
                }
                List<Object> out = new ArrayList<>(sorted.size());
                if (keys) {
                    out.addAll(sorted.keySet());
                } else {
                    for (Object v : sorted.values()) {
                        out.add(v instanceof Integer i ? Long.valueOf(i) : v instanceof CharSequence text ? text.toString() : v);
                    }
                }
                return out;
            }
        }
        throw new IllegalArgumentException("table " + table.name() + " column " + name
                + " has no field in " + record.getSchema().getFullName());
    }

    private static Object convert(StoreColumn column, Schema fieldSchema, Object value) {
        if (value == null) {
            return null;
        }
        Schema schema = nonNull(fieldSchema);
        LogicalType logical = schema.getLogicalType();
        return switch (column.type()) {
            case STRING -> value instanceof List<?> || value instanceof GenericRecord
                    ? org.apache.avro.specific.SpecificData.get().toString(value) : value.toString();
            case INT32 -> ((Number) value).intValue();
            case INT64 -> ((Number) value).longValue();
            case FLOAT64 -> ((Number) value).doubleValue();
            case BOOLEAN -> (Boolean) value;
            case DECIMAL -> value instanceof BigDecimal d ? d
                    : new Conversions.DecimalConversion().fromBytes((ByteBuffer) value, schema, logical);
            case TIMESTAMP -> value instanceof Instant t ? t
                    : logical instanceof LogicalTypes.TimestampMicros ? Instant.EPOCH.plusNanos(((Long) value) * 1000)
                    : Instant.ofEpochMilli((Long) value);
            case DATE -> value instanceof LocalDate d ? d : LocalDate.ofEpochDay(((Number) value).longValue());
            case STRING_ARRAY -> ((List<?>) value).stream().map(Object::toString).toList();
            case INT64_ARRAY -> ((List<?>) value).stream().map(v -> ((Number) v).longValue()).toList();
        };
    }

    private static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        for (Schema s : schema.getTypes()) {
            if (s.getType() != Schema.Type.NULL) {
                return s;
            }
        }
        return schema;
    }
}
