package io.tributary.platform.store.clickhouse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import io.tributary.platform.store.QueryResult;
import io.tributary.platform.store.QueryResult.QueryStatistics;
import io.tributary.platform.store.QueryResult.ResultColumn;
import io.tributary.platform.store.StoreColumn;
import io.tributary.platform.store.WriteBatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The two JSON formats ClickHouseStore speaks with the server, streamed with Jackson:
 * <ul>
 *   <li>reads: {@code FORMAT JSONCompact} — {@code meta}, {@code data}, {@code rows},
 *       {@code statistics} — with {@code output_format_json_quote_64bit_integers=0}, normalised as
 *       {@link QueryResult} documents;</li>
 *   <li>inserts: {@code JSONEachRow}, in the shape 18.16 accepts — decimals as JSON numbers written
 *       plainly (never 1E+3), DateTime as {@code "YYYY-MM-DD HH:MM:SS"}, Date as {@code "YYYY-MM-DD"},
 *       booleans as 0/1.</li>
 * </ul>
 */
final class ClickHouseJson {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    /** 18.16 prints the zero DateTime/Date (the epoch) as zeros. */
    private static final String ZERO_DATE = "0000-00-00";

    private ClickHouseJson() {
    }

    // ---- reads

    static QueryResult readJsonCompact(InputStream in) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, p);
            List<ResultColumn> columns = new ArrayList<>();
            List<ClickHouseTypes> types = new ArrayList<>();
            List<List<Object>> rows = new ArrayList<>();
            double elapsed = 0;
            long rowsRead = 0;
            long bytesRead = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "meta" -> {
                        expect(value, JsonToken.START_ARRAY, p);
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            String name = null;
                            String type = null;
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String key = p.currentName();
                                p.nextToken();
                                if (key.equals("name")) {
                                    name = p.getText();
                                } else if (key.equals("type")) {
                                    type = p.getText();
                                } else {
                                    p.skipChildren();
                                }
                            }
                            columns.add(new ResultColumn(name, ClickHouseTypes.normalise(type)));
                            types.add(ClickHouseTypes.unwrap(type));
                        }
                    }
                    case "data" -> {
                        expect(value, JsonToken.START_ARRAY, p);
                        while (p.nextToken() == JsonToken.START_ARRAY) {
                            Object[] row = new Object[types.size()];
                            for (int c = 0; c < row.length; c++) {
                                p.nextToken();
                                row[c] = value(p, types.get(c));
                            }
                            expect(p.nextToken(), JsonToken.END_ARRAY, p);
                            rows.add(Collections.unmodifiableList(Arrays.asList(row)));
                        }
                    }
                    case "statistics" -> {
                        expect(value, JsonToken.START_OBJECT, p);
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String key = p.currentName();
                            p.nextToken();
                            switch (key) {
                                case "elapsed" -> elapsed = p.getValueAsDouble();
                                case "rows_read" -> rowsRead = p.getValueAsLong();
                                case "bytes_read" -> bytesRead = p.getValueAsLong();
                                default -> p.skipChildren();
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            return new QueryResult(columns, rows, new QueryStatistics(elapsed, rowsRead, bytesRead));
        }
    }

    /** The current JSON value as the normalised Java value of a column of {@code type}. */
    static Object value(JsonParser p, ClickHouseTypes type) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        String name = type.name();
        if (name.equals("Nullable") || name.equals("LowCardinality")) {
            return value(p, ClickHouseTypes.unwrap(type.args().get(0)));
        }
        switch (name) {
            case "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64",
                    "Int128", "UInt128", "Int256", "UInt256" -> {
                BigInteger big = token == JsonToken.VALUE_STRING ? new BigInteger(p.getText()) : p.getBigIntegerValue();
                return big.bitLength() < Long.SIZE ? (Object) big.longValue() : big;
            }
            case "Bool" -> {
                return token == JsonToken.VALUE_TRUE ? 1L : token == JsonToken.VALUE_FALSE ? 0L : p.getValueAsLong();
            }
            case "Float32", "Float64" -> {
                return token == JsonToken.VALUE_STRING ? special(p.getText()) : p.getDoubleValue();
            }
            case "Decimal", "Decimal32", "Decimal64", "Decimal128", "Decimal256" -> {
                return token == JsonToken.VALUE_STRING ? new BigDecimal(p.getText()) : p.getDecimalValue();
            }
            case "Date", "Date32" -> {
                String text = p.getText();
                return text.startsWith(ZERO_DATE) ? LocalDate.EPOCH : LocalDate.parse(text);
            }
            case "DateTime", "DateTime64" -> {
                String text = p.getText();
                return text.startsWith(ZERO_DATE) ? LocalDateTime.of(1970, 1, 1, 0, 0) : LocalDateTime.parse(text.replace(' ', 'T'));
            }
            case "Array" -> {
                ClickHouseTypes element = ClickHouseTypes.parse(type.args().get(0));
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(p, element));
                }
                return Collections.unmodifiableList(list);
            }
            default -> {
                return generic(p);
            }
        }
    }

    /** Tuples, maps and other types this adapter does not model: strings as text, containers as lists. */
    private static Object generic(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.START_ARRAY || token == JsonToken.START_OBJECT) {
            JsonToken end = token == JsonToken.START_ARRAY ? JsonToken.END_ARRAY : JsonToken.END_OBJECT;
            List<Object> list = new ArrayList<>();
            JsonToken next;
            while ((next = p.nextToken()) != end) {
                if (next != JsonToken.FIELD_NAME) {
                    list.add(generic(p));
                }
            }
            return Collections.unmodifiableList(list);
        }
        return switch (token) {
            case VALUE_NUMBER_INT -> p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> 1L;
            case VALUE_FALSE -> 0L;
            default -> p.getText();
        };
    }

    private static Double special(String text) {
        return switch (text) {
            case "nan", "-nan" -> Double.NaN;
            case "inf", "+inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.valueOf(text);
        };
    }

    private static void expect(JsonToken actual, JsonToken expected, JsonParser p) throws IOException {
        if (actual != expected) {
            throw new IOException("unexpected ClickHouse JSON: " + actual + " where " + expected + " was expected at " + p.currentLocation());
        }
    }

    // ---- inserts

    /** {@code batch} as JSONEachRow, one object per line, keys in column order. */
    static byte[] jsonEachRow(WriteBatch batch) {
        List<StoreColumn> columns = batch.table().columns();
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, batch.rows().size() * 256));
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.setRootValueSeparator(new SerializedString("\n"));
            for (List<Object> row : batch.rows()) {
                g.writeStartObject();
                for (int c = 0; c < columns.size(); c++) {
                    g.writeFieldName(columns.get(c).name());
                    writeValue(g, columns.get(c), row.get(c));
                }
                g.writeEndObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode rows for " + batch.table().name(), e);
        }
        return out.toByteArray();
    }

    private static void writeValue(JsonGenerator g, StoreColumn column, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
            return;
        }
        switch (column.type()) {
            case STRING -> g.writeString((String) value);
            case INT32 -> g.writeNumber((Integer) value);
            case INT64 -> g.writeNumber((Long) value);
            case FLOAT64 -> g.writeNumber((Double) value);
            case DECIMAL -> g.writeNumber((BigDecimal) value);
            case TIMESTAMP -> g.writeString(DATE_TIME.format((Instant) value));
            case DATE -> g.writeString(value.toString());
            case BOOLEAN -> g.writeNumber((Boolean) value ? 1 : 0);
            case STRING_ARRAY -> {
                g.writeStartArray();
                for (Object element : (List<?>) value) {
                    g.writeString((String) element);
                }
                g.writeEndArray();
            }
            case INT64_ARRAY -> {
                g.writeStartArray();
                for (Object element : (List<?>) value) {
                    g.writeNumber((Long) element);
                }
                g.writeEndArray();
            }
        }
    }
}
