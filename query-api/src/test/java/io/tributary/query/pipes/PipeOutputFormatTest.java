package io.tributary.query.pipes;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.platform.store.QueryResult.QueryStatistics;
import io.tributary.platform.store.QueryResult.ResultColumn;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipeOutputFormatTest {

    private static final List<ResultColumn> COLUMNS = List.of(
            new ResultColumn("id", "String"),
            new ResultColumn("name", "String"),
            new ResultColumn("price", "Decimal(18, 4)"),
            new ResultColumn("qty", "Int64"),
            new ResultColumn("score", "Float64"),
            new ResultColumn("at", "DateTime"),
            new ResultColumn("day", "Date"),
            new ResultColumn("flag", "Bool"),
            new ResultColumn("tags", "Array(String)"));

    private static final PipeResult RESULT = new PipeResult("p", COLUMNS, List.of(
            Arrays.asList("ev-1", "Doe, \"JD\"\nline2", new BigDecimal("49.9900"), 2L, 1.0E10,
                    LocalDateTime.of(2023, 6, 15, 14, 30, 45), LocalDate.of(2023, 6, 15), true, List.of("a", "b'c")),
            Arrays.asList("ev-2", "", new BigDecimal("100.0000"), null, 0.5, null, null, false, List.of())),
            3, new QueryStatistics(0.0025, 1234, 56789));

    @Test
    void jsonHasTinybirdsShapeWithValuesWrittenAsClickHouseWritesThem() throws IOException {
        assertThat(write(PipeOutputFormat.JSON, RESULT)).isEqualTo("{"
                + "\"meta\":[{\"name\":\"id\",\"type\":\"String\"},{\"name\":\"name\",\"type\":\"String\"},"
                + "{\"name\":\"price\",\"type\":\"Decimal(18, 4)\"},{\"name\":\"qty\",\"type\":\"Int64\"},"
                + "{\"name\":\"score\",\"type\":\"Float64\"},{\"name\":\"at\",\"type\":\"DateTime\"},"
                + "{\"name\":\"day\",\"type\":\"Date\"},{\"name\":\"flag\",\"type\":\"Bool\"},"
                + "{\"name\":\"tags\",\"type\":\"Array(String)\"}],"
                + "\"data\":["
                + "{\"id\":\"ev-1\",\"name\":\"Doe, \\\"JD\\\"\\nline2\",\"price\":49.99,\"qty\":2,\"score\":10000000000,"
                + "\"at\":\"2023-06-15 14:30:45\",\"day\":\"2023-06-15\",\"flag\":true,\"tags\":[\"a\",\"b'c\"]},"
                + "{\"id\":\"ev-2\",\"name\":\"\",\"price\":100,\"qty\":null,\"score\":0.5,"
                + "\"at\":null,\"day\":null,\"flag\":false,\"tags\":[]}],"
                + "\"rows\":2,"
                + "\"rows_before_limit_at_least\":3,"
                + "\"statistics\":{\"elapsed\":0.0025,\"rows_read\":1234,\"bytes_read\":56789}}");
    }

    @Test
    void csvHasAHeaderRowQuotesStringsAndLeavesNumbersAndNullsBare() throws IOException {
        assertThat(write(PipeOutputFormat.CSV, RESULT)).isEqualTo(""
                + "\"id\",\"name\",\"price\",\"qty\",\"score\",\"at\",\"day\",\"flag\",\"tags\"\n"
                + "\"ev-1\",\"Doe, \"\"JD\"\"\nline2\",49.99,2,10000000000,\"2023-06-15 14:30:45\",\"2023-06-15\",true,"
                + "\"['a','b\\'c']\"\n"
                + "\"ev-2\",\"\",100,,0.5,,,false,\"[]\"\n");
    }

    @Test
    void ndjsonWritesOneObjectPerLine() throws IOException {
        assertThat(write(PipeOutputFormat.NDJSON, RESULT)).isEqualTo(""
                + "{\"id\":\"ev-1\",\"name\":\"Doe, \\\"JD\\\"\\nline2\",\"price\":49.99,\"qty\":2,\"score\":10000000000,"
                + "\"at\":\"2023-06-15 14:30:45\",\"day\":\"2023-06-15\",\"flag\":true,\"tags\":[\"a\",\"b'c\"]}\n"
                + "{\"id\":\"ev-2\",\"name\":\"\",\"price\":100,\"qty\":null,\"score\":0.5,"
                + "\"at\":null,\"day\":null,\"flag\":false,\"tags\":[]}\n");
    }

    @Test
    void decimalsAreWrittenPlainWithoutTrailingZerosOrExponent() throws IOException {
        List<ResultColumn> columns = List.of(new ResultColumn("v", "Decimal(38, 4)"));
        List<List<Object>> rows = List.of(
                List.of(new BigDecimal("0E-4")), List.of(new BigDecimal("-0.5000")), List.of(new BigDecimal("1E+3")),
                List.of(new BigDecimal("12345678901234567890.1200")), List.of(new BigDecimal("0.0001")));
        PipeResult result = new PipeResult("p", columns, rows, 5, new QueryStatistics(0, 0, 0));

        assertThat(write(PipeOutputFormat.NDJSON, result))
                .isEqualTo("{\"v\":0}\n{\"v\":-0.5}\n{\"v\":1000}\n{\"v\":12345678901234567890.12}\n{\"v\":0.0001}\n");
        assertThat(write(PipeOutputFormat.CSV, result)).isEqualTo("\"v\"\n0\n-0.5\n1000\n12345678901234567890.12\n0.0001\n");
    }

    @Test
    void floatsAreWrittenPlainAndNonFiniteOnesAsNull() throws IOException {
        List<ResultColumn> columns = List.of(new ResultColumn("v", "Float64"));
        List<List<Object>> rows = List.of(List.of(1.0), List.of(1.5E-7), List.of(Double.NaN));
        PipeResult result = new PipeResult("p", columns, rows, 3, new QueryStatistics(0, 0, 0));

        assertThat(write(PipeOutputFormat.NDJSON, result)).isEqualTo("{\"v\":1}\n{\"v\":0.00000015}\n{\"v\":null}\n");
    }

    @Test
    void anEmptyResultStillHasItsShapeAndHeader() throws IOException {
        PipeResult empty = new PipeResult("p", List.of(new ResultColumn("a", "String"), new ResultColumn("b", "Int64")), List.of(), 0,
                new QueryStatistics(0.5, 0, 0));

        assertThat(write(PipeOutputFormat.JSON, empty)).isEqualTo("{\"meta\":[{\"name\":\"a\",\"type\":\"String\"},"
                + "{\"name\":\"b\",\"type\":\"Int64\"}],\"data\":[],\"rows\":0,\"rows_before_limit_at_least\":0,"
                + "\"statistics\":{\"elapsed\":0.5,\"rows_read\":0,\"bytes_read\":0}}");
        assertThat(write(PipeOutputFormat.CSV, empty)).isEqualTo("\"a\",\"b\"\n");
        assertThat(write(PipeOutputFormat.NDJSON, empty)).isEmpty();
    }

    @Test
    void formatsAreChosenBySuffix() {
        assertThat(PipeOutputFormat.bySuffix("json")).contains(PipeOutputFormat.JSON);
        assertThat(PipeOutputFormat.bySuffix("CSV")).contains(PipeOutputFormat.CSV);
        assertThat(PipeOutputFormat.bySuffix("ndjson")).contains(PipeOutputFormat.NDJSON);
        assertThat(PipeOutputFormat.bySuffix("xml")).isEmpty();
        assertThat(PipeOutputFormat.JSON.contentType()).isEqualTo("application/json");
        assertThat(PipeOutputFormat.CSV.contentType()).startsWith("text/csv");
        assertThat(PipeOutputFormat.NDJSON.contentType()).isEqualTo("application/x-ndjson");
    }

    private static String write(PipeOutputFormat format, PipeResult result) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format.write(result, out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
