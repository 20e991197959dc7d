package io.tributary.query.pipes;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.tributary.platform.store.QueryResult.ResultColumn;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The formats a pipe answers in, chosen by the URL suffix. Each writes straight to the response
 * stream row by row rather than building the whole body in memory.
 */
public enum PipeOutputFormat {
    /** Tinybird's (ClickHouse FORMAT JSON's) shape: meta, data, rows, rows_before_limit_at_least, statistics. */
    JSON("json", "application/json"),
    /**
     * A header row, then one row per record, as ClickHouse's CSVWithNames quotes them: names,
     * strings, dates and arrays in double quotes (inner quotes doubled, RFC 4180), numbers and
     * booleans bare, NULL as an empty field, so NULL and "" stay distinct.
     */
    CSV("csv", "text/csv; charset=utf-8"),
    /** One JSON object per line (the {@code data} objects of the JSON format). */
    NDJSON("ndjson", "application/x-ndjson");

    private static final JsonFactory JSON_FACTORY = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();
    private static final CsvFactory CSV_FACTORY = CsvFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(CsvGenerator.Feature.ALWAYS_QUOTE_STRINGS)
            .build();

    private final String suffix;
    private final String contentType;

    PipeOutputFormat(String suffix, String contentType) {
        this.suffix = suffix;
        this.contentType = contentType;
    }

    public String suffix() {
        return suffix;
    }

    public String contentType() {
        return contentType;
    }

    public static Optional<PipeOutputFormat> bySuffix(String suffix) {
        return Arrays.stream(values()).filter(f -> f.suffix.equals(suffix.toLowerCase(Locale.ROOT))).findFirst();
    }

    /** Writes {@code result} to {@code out} and flushes; does not close {@code out}. */
    public void write(PipeResult result, OutputStream out) throws IOException {
        switch (this) {
            case JSON -> writeJson(result, out);
            case CSV -> writeCsv(result, out);
            case NDJSON -> writeNdjson(result, out);
        }
    }

    private static void writeJson(PipeResult result, OutputStream out) throws IOException {
        List<ResultColumn> columns = result.columns();
        try (JsonGenerator json = JSON_FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeArrayFieldStart("meta");
            for (ResultColumn column : columns) {
                json.writeStartObject();
                json.writeStringField("name", column.name());
                json.writeStringField("type", column.type());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("data");
            for (List<Object> row : result.rows()) {
                writeRowObject(json, columns, row);
            }
            json.writeEndArray();
            json.writeNumberField("rows", result.rows().size());
            json.writeNumberField("rows_before_limit_at_least", result.rowsBeforeLimitAtLeast());
            json.writeObjectFieldStart("statistics");
            json.writeFieldName("elapsed");
            json.writeNumber(BigDecimal.valueOf(result.statistics().elapsed()).stripTrailingZeros());
            json.writeNumberField("rows_read", result.statistics().rowsRead());
            json.writeNumberField("bytes_read", result.statistics().bytesRead());
            json.writeEndObject();
            json.writeEndObject();
        }
    }

    private static void writeNdjson(PipeResult result, OutputStream out) throws IOException {
        try (JsonGenerator json = JSON_FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            json.setRootValueSeparator(null);
            for (List<Object> row : result.rows()) {
                writeRowObject(json, result.columns(), row);
                json.writeRaw('\n');
            }
        }
    }

    private static void writeRowObject(JsonGenerator json, List<ResultColumn> columns, List<Object> row) throws IOException {
        json.writeStartObject();
        for (int i = 0; i < columns.size(); i++) {
            json.writeFieldName(columns.get(i).name());
            PipeValues.write(json, row.get(i));
        }
        json.writeEndObject();
    }

    private static void writeCsv(PipeResult result, OutputStream out) throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(false).setLineSeparator("\n");
        for (ResultColumn column : result.columns()) {
            schema.addColumn(column.name());
        }
        try (CsvGenerator csv = CSV_FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            csv.setSchema(schema.build());
            // the header is written as a row so that an empty result still has one
            csv.writeStartArray();
            for (ResultColumn column : result.columns()) {
                csv.writeString(column.name());
            }
            csv.writeEndArray();
            // rows go as objects: in a root-level array Jackson drops nulls instead of leaving the field empty
            List<ResultColumn> columns = result.columns();
            for (List<Object> row : result.rows()) {
                csv.writeStartObject();
                for (int i = 0; i < columns.size(); i++) {
                    csv.writeFieldName(columns.get(i).name());
                    Object value = row.get(i);
                    if (value instanceof Number || value instanceof Boolean) {
                        PipeValues.write(csv, value); // bare, as in JSON
                    } else if (value == null) {
                        csv.writeNull();
                    } else {
                        csv.writeString(PipeValues.text(value));
                    }
                }
                csv.writeEndObject();
            }
        }
    }
}
