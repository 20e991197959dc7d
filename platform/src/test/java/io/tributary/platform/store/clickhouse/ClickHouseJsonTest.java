package io.tributary.platform.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.platform.store.QueryResult;
import io.tributary.platform.store.QueryResult.ResultColumn;
import io.tributary.platform.store.StoreColumn;
import io.tributary.platform.store.StoreTable;
import io.tributary.platform.store.ValueType;
import io.tributary.platform.store.WriteBatch;
import io.tributary.platform.store.WriteMode;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClickHouseJsonTest {

    /** Shaped like what ClickHouse 18.16 sent for FORMAT JSONCompact on this machine. */
    private static final String RESPONSE = """
            {
            	"meta":
            	[
            		{"name": "s", "type": "String"},
            		{"name": "price", "type": "Nullable(Decimal(18, 4))"},
            		{"name": "ts", "type": "DateTime('UTC')"},
            		{"name": "zero", "type": "DateTime('UTC')"},
            		{"name": "d", "type": "Date"},
            		{"name": "n", "type": "UInt64"},
            		{"name": "big", "type": "UInt64"},
            		{"name": "f", "type": "Float64"},
            		{"name": "nan", "type": "Float64"},
            		{"name": "tags", "type": "Array(String)"},
            		{"name": "nums", "type": "Array(Nullable(Int64))"},
            		{"name": "nothing", "type": "Nullable(Nothing)"},
            		{"name": "q", "type": "Nullable(Int32)"}
            	],

            	"data":
            	[
            		["a\\\\b'c\\n", 49.9900, "2023-06-15 14:30:45", "0000-00-00 00:00:00", "2023-01-02", 3, 18446744073709551615, 0.1, null, ["x","y"], [1,null], null, null],
            		["", 0.0001, "2105-12-31 23:59:59", "1970-01-01 00:00:01", "0000-00-00", 0, 0, -2.5e10, 1e-300, [], [], null, -7]
            	],

            	"rows": 2,

            	"rows_before_limit_at_least": 2,

            	"statistics":
            	{
            		"elapsed": 0.000822081,
            		"rows_read": 3,
            		"bytes_read": 159
            	}
            }
            """;

    @Test
    void jsonCompactIsNormalised() throws Exception {
        QueryResult result = ClickHouseJson.readJsonCompact(new ByteArrayInputStream(RESPONSE.getBytes(StandardCharsets.UTF_8)));
        assertThat(result.columns()).containsExactly(
                new ResultColumn("s", "String"), new ResultColumn("price", "Decimal(18, 4)"), new ResultColumn("ts", "DateTime"),
                new ResultColumn("zero", "DateTime"), new ResultColumn("d", "Date"), new ResultColumn("n", "UInt64"),
                new ResultColumn("big", "UInt64"), new ResultColumn("f", "Float64"), new ResultColumn("nan", "Float64"),
                new ResultColumn("tags", "Array(String)"), new ResultColumn("nums", "Array(Int64)"),
                new ResultColumn("nothing", "Nothing"), new ResultColumn("q", "Int32"));
        assertThat(result.rows().get(0)).containsExactly("a\\b'c\n", new BigDecimal("49.9900"), LocalDateTime.of(2023, 6, 15, 14, 30, 45),
                LocalDateTime.of(1970, 1, 1, 0, 0), LocalDate.of(2023, 1, 2), 3L, new BigInteger("18446744073709551615"), 0.1, null,
                List.of("x", "y"), Arrays.asList(1L, null), null, null);
        assertThat(result.rows().get(1)).containsExactly("", new BigDecimal("0.0001"), LocalDateTime.of(2105, 12, 31, 23, 59, 59),
                LocalDateTime.of(1970, 1, 1, 0, 0, 1), LocalDate.EPOCH, 0L, 0L, -2.5e10, 1e-300, List.of(), List.of(), null, -7L);
        assertThat(((BigDecimal) result.rows().get(0).get(1)).scale()).isEqualTo(4);
        assertThat(result.statistics()).isEqualTo(new QueryResult.QueryStatistics(0.000822081, 3, 159));
    }

    @Test
    void typeNamesLoseNullableLowCardinalityAndTimeZones() {
        assertThat(ClickHouseTypes.normalise("Nullable(String)")).isEqualTo("String");
        assertThat(ClickHouseTypes.normalise("LowCardinality(Nullable(String))")).isEqualTo("String");
        assertThat(ClickHouseTypes.normalise("DateTime('UTC')")).isEqualTo("DateTime");
        assertThat(ClickHouseTypes.normalise("DateTime64(3, 'Europe/Paris')")).isEqualTo("DateTime64(3)");
        assertThat(ClickHouseTypes.normalise("Nullable(Decimal(38,4))")).isEqualTo("Decimal(38, 4)");
        assertThat(ClickHouseTypes.normalise("Array(Nullable(DateTime('UTC')))")).isEqualTo("Array(DateTime)");
        assertThat(ClickHouseTypes.normalise("Tuple(Nullable(String), UInt8)")).isEqualTo("Tuple(String, UInt8)");
        assertThat(ClickHouseTypes.normalise("FixedString(16)")).isEqualTo("FixedString(16)");
        assertThat(ClickHouseTypes.normalise("Enum8('a, b' = 1, 'c' = 2)")).isEqualTo("Enum8('a, b' = 1, 'c' = 2)");
        assertThat(ClickHouseTypes.normalise("Bool")).isEqualTo("UInt8");
    }

    @Test
    void jsonEachRowIsWhat1816Accepts() {
        StoreTable table = new StoreTable("t", List.of(
                StoreColumn.required("s", ValueType.STRING),
                StoreColumn.optional("price", ValueType.DECIMAL),
                StoreColumn.required("at", ValueType.TIMESTAMP),
                StoreColumn.required("day", ValueType.DATE),
                StoreColumn.required("flag", ValueType.BOOLEAN),
                StoreColumn.required("tags", ValueType.STRING_ARRAY),
                StoreColumn.required("nums", ValueType.INT64_ARRAY),
                StoreColumn.optional("q", ValueType.INT32)),
                List.of("s"), Optional.empty(), WriteMode.INSERT_IGNORE_EXISTING);
        WriteBatch batch = WriteBatch.of(table, List.of(
                new Object[] {"it's \"x\"\n", new BigDecimal("1E+3"), Instant.parse("2023-06-15T14:30:45.5Z"), LocalDate.of(2023, 1, 2),
                        true, List.of("a"), List.of(1L, -2L), null},
                new Object[] {"b", new BigDecimal("0.0001"), Instant.EPOCH, LocalDate.EPOCH, false, List.of(), List.of(), 7}));
        String json = new String(ClickHouseJson.jsonEachRow(batch), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("""
                {"s":"it's \\"x\\"\\n","price":1000.0000,"at":"2023-06-15 14:30:45","day":"2023-01-02","flag":1,"tags":["a"],"nums":[1,-2],"q":null}
                {"s":"b","price":0.0001,"at":"1970-01-01 00:00:00","day":"1970-01-01","flag":0,"tags":[],"nums":[],"q":7}""");
    }
}
