package io.tributary.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import io.tributary.schemas.Datasource;
import io.tributary.schemas.Datasources;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RowConverterTest {
    private static final String WORKSPACE = "ws-1";
    private static final Instant NOW = Instant.parse("2024-01-02T03:04:05.678Z");
    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_STRING = 64;

    private final RowConverter events = RowConverter.forDatasource(Datasources.CUSTOMER_EVENTS, JSON, MAX_STRING);

    private static ConvertedRow convert(RowConverter converter, String json) {
        byte[] bytes = ("  " + json + "  ").getBytes(StandardCharsets.UTF_8);
        return converter.convert(bytes, 2, bytes.length - 4, WORKSPACE, NOW);
    }

    private GenericRecord valid(String json) {
        ConvertedRow row = convert(events, json);
        assertThat(row).isInstanceOf(ConvertedRow.Valid.class);
        return ((ConvertedRow.Valid) row).record();
    }

    private ConvertedRow.Invalid invalid(String json) {
        ConvertedRow row = convert(events, json);
        assertThat(row).isInstanceOf(ConvertedRow.Invalid.class);
        return (ConvertedRow.Invalid) row;
    }

    /** A minimal valid event with {@code extra} fields (JSON members, without braces) appended. */
    private static String event(String extra) {
        return "{\"event_id\":\"e1\",\"customer_id\":\"c1\",\"event_type\":\"view\",\"event_timestamp\":\"2023-06-15 14:30:45\""
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    @Test
    void convertsTheSeedExample() {
        ConvertedRow row = convert(events, SeedExamples.CUSTOMER_EVENT_CURL_BODY);
        assertThat(row).isInstanceOf(ConvertedRow.Valid.class);
        ConvertedRow.Valid v = (ConvertedRow.Valid) row;
        assertThat(v.key()).isEqualTo("ws-1|cust-789");
        GenericRecord r = v.record();
        assertThat(r.get("workspace_id")).isEqualTo(WORKSPACE);
        assertThat(r.get("event_id")).isEqualTo("ev-12345");
        assertThat(r.get("customer_id")).isEqualTo("cust-789");
        assertThat(r.get("event_type")).isEqualTo("purchase");
        assertThat(r.get("event_timestamp")).isEqualTo(Instant.parse("2023-06-15T14:30:45Z"));
        assertThat(r.get("session_id")).isEqualTo("sess-456");
        assertThat(r.get("page_url")).isEqualTo("https://example.com/product/123");
        assertThat(r.get("product_id")).isEqualTo("prod-123");
        assertThat(r.get("category_id")).isEqualTo("cat-456");
        assertThat(r.get("price")).isEqualTo(new BigDecimal("49.9900"));
        assertThat(r.get("quantity")).isEqualTo(1);
        assertThat(r.get("device_type")).isEqualTo("mobile");
        assertThat(r.get("country")).isEqualTo("US");
        assertThat(r.get("referrer")).isEqualTo("google.com");
        assertThat(r.get("user_agent")).isEqualTo("Mozilla/5.0 (iPhone; CPU iPhone OS 13_2_3 like Mac OS X)");
        assertThat(r.get("ingested_at")).isEqualTo(NOW);
    }

    @Test
    void optionalFieldsMayBeAbsentOrNull() {
        GenericRecord r = valid(event("\"session_id\":null,\"price\":null,\"quantity\":null"));
        assertThat(r.get("session_id")).isNull();
        assertThat(r.get("price")).isNull();
        assertThat(r.get("page_url")).isNull();
    }

    @Test
    void unknownFieldsAreIgnored() {
        GenericRecord r = valid(event("\"not_a_column\":{\"deep\":[1,2,{\"x\":null}]},\"another\":[true]"));
        assertThat(r.get("event_id")).isEqualTo("e1");
    }

    @Test
    void serverFieldsAreNeverTakenFromTheRow() {
        GenericRecord r = valid(event("\"workspace_id\":\"someone-else\",\"ingested_at\":\"2000-01-01 00:00:00\""));
        assertThat(r.get("workspace_id")).isEqualTo(WORKSPACE);
        assertThat(r.get("ingested_at")).isEqualTo(NOW);
        assertThat(((ConvertedRow.Valid) convert(events, event("\"workspace_id\":\"x\""))).key()).isEqualTo("ws-1|c1");
    }

    @Test
    void theLastOfDuplicateMembersWins() {
        assertThat(valid(event("\"country\":\"FR\",\"country\":\"US\"")).get("country")).isEqualTo("US");
    }

    @Nested
    class RequiredFields {
        @Test
        void aMissingRequiredFieldRejectsTheRow() {
            ConvertedRow.Invalid i = invalid("{\"customer_id\":\"c1\",\"event_type\":\"view\",\"event_timestamp\":\"2023-06-15 14:30:45\"}");
            assertThat(i.column()).isEqualTo("event_id");
            assertThat(i.reason()).isEqualTo("required field is missing");
        }

        @Test
        void everyMissingFieldIsNamedTheFirstInSchemaOrderAsColumn() {
            ConvertedRow.Invalid i = invalid("{\"event_type\":\"view\"}");
            assertThat(i.column()).isEqualTo("event_id");
            assertThat(i.reason()).isEqualTo("required field is missing (also missing: customer_id, event_timestamp)");
        }

        @Test
        void aNullRequiredFieldRejectsTheRow() {
            ConvertedRow.Invalid i = invalid("{\"event_id\":\"e1\",\"customer_id\":null}");
            assertThat(i.column()).isEqualTo("customer_id");
            assertThat(i.reason()).isEqualTo("required field is null");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"\"", "\"   \""})
        void aRequiredStringMayNotBeEmptyOrBlank(String value) {
            ConvertedRow.Invalid i = invalid("{\"event_id\":" + value + ",\"customer_id\":\"c1\",\"event_type\":\"view\",\"event_timestamp\":\"2023-06-15 14:30:45\"}");
            assertThat(i.column()).isEqualTo("event_id");
            assertThat(i.reason()).isEqualTo("required field is empty");
        }

        @Test
        void anOptionalStringMayBeEmpty() {
            assertThat(valid(event("\"country\":\"\"")).get("country")).isEqualTo("");
        }
    }

    @Nested
    class Strings {
        @Test
        void numbersAreTakenAsTheTextTheyWereWrittenWith() {
            GenericRecord r = valid("{\"event_id\":42,\"customer_id\":7.50,\"event_type\":\"view\",\"event_timestamp\":\"2023-06-15 14:30:45\",\"country\":1e3}");
            assertThat(r.get("event_id")).isEqualTo("42");
            assertThat(r.get("customer_id")).isEqualTo("7.50");
            assertThat(r.get("country")).isEqualTo("1e3");
            assertThat(((ConvertedRow.Valid) convert(events, "{\"event_id\":42,\"customer_id\":7.50,\"event_type\":\"view\",\"event_timestamp\":\"2023-06-15 14:30:45\"}")).key())
                    .isEqualTo("ws-1|7.50");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "true|expected a string, got a boolean",
                "{\"a\":1}|expected a string, got an object",
                "[\"a\"]|expected a string, got an array"})
        void otherJsonValuesAreRejected(String value, String reason) {
            ConvertedRow.Invalid i = invalid(event("\"country\":" + value));
            assertThat(i.column()).isEqualTo("country");
            assertThat(i.reason()).isEqualTo(reason);
        }

        @Test
        void unicodeAndEscapesAreDecoded() {
            assertThat(valid(event("\"country\":\"Zürich \\u00e9\\n\"")).get("country")).isEqualTo("Zürich é\n");
        }

        @Test
        void aStringLongerThanTheLimitIsRejected() {
            assertThat(valid(event("\"user_agent\":\"" + "x".repeat(MAX_STRING) + "\"")).get("user_agent")).asString().hasSize(MAX_STRING);
            ConvertedRow.Invalid i = invalid(event("\"user_agent\":\"" + "x".repeat(MAX_STRING + 1) + "\""));
            assertThat(i.column()).isEqualTo("user_agent");
            assertThat(i.reason()).isEqualTo("string of 65 characters is longer than the limit of 64");
        }
    }

    @Nested
    class Integers {
        @Test
        void integersInRangeAreAccepted() {
            assertThat(valid(event("\"quantity\":2147483647")).get("quantity")).isEqualTo(Integer.MAX_VALUE);
            assertThat(valid(event("\"quantity\":-3")).get("quantity")).isEqualTo(-3);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "1.5|expected an integer, got 1.5",
                "1.0|expected an integer, got 1.0",
                "1e2|expected an integer, got 1e2",
                "\"2\"|expected an integer, got a string",
                "true|expected an integer, got a boolean",
                "2147483648|2147483648 is out of range for int",
                "-99999999999999999999|-99999999999999999999 is out of range for int"})
        void fractionsStringsAndOutOfRangeValuesAreRejected(String value, String reason) {
            ConvertedRow.Invalid i = invalid(event("\"quantity\":" + value));
            assertThat(i.column()).isEqualTo("quantity");
            assertThat(i.reason()).isEqualTo(reason);
        }
    }

    @Nested
    class Decimals {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "49.99|49.9900",
                "\"49.99\"|49.9900",
                "12|12.0000",
                "0|0.0000",
                "-0.5|-0.5000",
                "49.99990|49.9999",
                "\"1e2\"|100.0000",
                "1E-4|0.0001",
                "99999999999999.9999|99999999999999.9999",
                "-99999999999999.9999|-99999999999999.9999"})
        void numbersAndNumericStringsAreStoredExactly(String value, String expected) {
            BigDecimal price = (BigDecimal) valid(event("\"price\":" + value)).get("price");
            assertThat(price).isEqualTo(new BigDecimal(expected)); // equals: same value and scale 4
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "49.99999|'49.99999' has more than 4 decimal places (decimal(18,4); values are never rounded)",
                "\"0.00001\"|'0.00001' has more than 4 decimal places (decimal(18,4); values are never rounded)",
                "1e-999999999|'1e-999999999' has more than 4 decimal places (decimal(18,4); values are never rounded)",
                "100000000000000|'100000000000000' is out of range for decimal(18,4)",
                "1e999999999|'1e999999999' is out of range for decimal(18,4)",
                "\"abc\"|expected a number, got 'abc'",
                "\"NaN\"|expected a number, got 'NaN'",
                "\" 1\"|expected a number, got ' 1'",
                "true|expected a number, got a boolean",
                "[1]|expected a number, got an array"})
        void tooPreciseOutOfRangeAndNonNumericValuesAreRejected(String value, String reason) {
            ConvertedRow.Invalid i = invalid(event("\"price\":" + value));
            assertThat(i.column()).isEqualTo("price");
            assertThat(i.reason()).isEqualTo(reason);
        }
    }

    @Nested
    class TimestampsOfEvents {
        private Instant timestamp(String value) {
            return (Instant) valid("{\"event_id\":\"e1\",\"customer_id\":\"c1\",\"event_type\":\"view\",\"event_timestamp\":\"" + value + "\"}")
                    .get("event_timestamp");
        }

        private ConvertedRow.Invalid rejected(String jsonValue) {
            ConvertedRow.Invalid i = invalid("{\"event_id\":\"e1\",\"customer_id\":\"c1\",\"event_type\":\"view\",\"event_timestamp\":" + jsonValue + "}");
            assertThat(i.column()).isEqualTo("event_timestamp");
            return i;
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "2023-06-15 14:30:45|2023-06-15T14:30:45Z",
                "2023-06-15 14:30:45.123|2023-06-15T14:30:45.123Z",
                "2023-06-15 14:30:45.1|2023-06-15T14:30:45.100Z",
                "2023-06-15 14:30:45.12|2023-06-15T14:30:45.120Z",
                "2023-06-15T14:30:45Z|2023-06-15T14:30:45Z",
                "2023-06-15t14:30:45z|2023-06-15T14:30:45Z",
                "2023-06-15T14:30:45.5+02:00|2023-06-15T12:30:45.500Z",
                "2023-06-15T00:10:00-05:30|2023-06-15T05:40:00Z",
                "2024-02-29 23:59:59.999|2024-02-29T23:59:59.999Z",
                "2000-02-29 00:00:00|2000-02-29T00:00:00Z",
                "1969-12-31 23:59:59.999|1969-12-31T23:59:59.999Z",
                "0001-01-01 00:00:00|0001-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999+18:00|9999-12-31T05:59:59.999Z"})
        void acceptedForms(String value, String expected) {
            assertThat(timestamp(value)).isEqualTo(Instant.parse(expected));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "2023-02-30 00:00:00|day 30 does not exist in 2023-02",
                "2023-02-29 00:00:00|day 29 does not exist in 2023-02",
                "1900-02-29 00:00:00|day 29 does not exist in 1900-02",
                "2023-04-31 00:00:00|day 31 does not exist in 2023-04",
                "2023-06-00 00:00:00|day 0 does not exist in 2023-06",
                "2023-13-01 00:00:00|month 13 does not exist",
                "0000-01-01 00:00:00|year 0000 does not exist",
                "2023-06-15 24:00:00|time of day out of range",
                "2023-06-15 14:60:00|time of day out of range",
                "2023-06-15 14:30:60|time of day out of range",
                "2023-06-15 14:30:45.1234|at most 3 fraction digits (millisecond precision)",
                "2023-06-15T14:30:45|ISO-8601 timestamps need a zone: Z or ±HH:MM",
                "2023-06-15T14:30:45+19:00|zone offset out of range",
                "2023-06-15T14:30:45+05:60|zone offset out of range"})
        void impossibleValuesAreRejectedWithTheReason(String value, String why) {
            assertThat(rejected("\"" + value + "\"").reason()).isEqualTo("'" + value + "' is not a valid timestamp: " + why);
        }

        @ParameterizedTest
        @ValueSource(strings = {"2023-06-15", "2023-06-15 14:30", "2023/06/15 14:30:45", "2023-06-15 14:30:45Z",
                "2023-06-15 14:30:45+02:00", "2023-06-15 14:30:45.", "2023-06-15 14:30:45 ", " 2023-06-15 14:30:45",
                "2023-6-15 14:30:45", "2023-06-15T14:30:45+0200", "2023-06-15T14:30:45+02", "2023-06-15X14:30:45",
                "yesterday", ""})
        void otherFormsAreRejected(String value) {
            assertThat(rejected("\"" + value + "\"").reason()).startsWith("'" + value + "' is not a valid timestamp: ");
        }

        @Test
        void numbersAreNotTimestamps() {
            assertThat(rejected("1686839445").reason()).isEqualTo("expected a timestamp string, got a number");
        }

        @Test
        void agreesWithJavaTimeOverManyRandomInstants() {
            Random random = new Random(42);
            DateTimeFormatter seedFormat = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS");
            // years 2..9998: every offset keeps the local date within 0001..9999
            long min = LocalDateTime.of(2, 1, 1, 0, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
            long max = LocalDateTime.of(9998, 12, 31, 23, 59, 59).toInstant(ZoneOffset.UTC).toEpochMilli();
            for (int n = 0; n < 5_000; n++) {
                Instant instant = Instant.ofEpochMilli(min + (long) (random.nextDouble() * (max - min)));
                ZoneOffset offset = ZoneOffset.ofTotalSeconds((random.nextInt(37) - 18) * 1800);
                String plain = seedFormat.format(instant.atOffset(ZoneOffset.UTC));
                String iso = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atOffset(offset));
                assertThat(timestamp(plain)).as(plain).isEqualTo(instant);
                assertThat(timestamp(iso)).as(iso).isEqualTo(instant);
            }
        }
    }

    @Nested
    class WholeRows {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "[1,2]|a row must be a JSON object, got an array",
                "\"text\"|a row must be a JSON object, got a string",
                "42|a row must be a JSON object, got a number",
                "null|a row must be a JSON object, got null"})
        void aRowMustBeAnObject(String json, String reason) {
            ConvertedRow.Invalid i = invalid(json);
            assertThat(i.column()).isNull();
            assertThat(i.reason()).isEqualTo(reason);
        }

        @Test
        void malformedJsonIsRejectedWithWhereAndWhy() {
            ConvertedRow.Invalid i = invalid("{\"event_id\": \"e1\",}");
            assertThat(i.column()).isNull();
            assertThat(i.reason()).startsWith("malformed JSON at column 19: Unexpected character ('}'");
        }

        @Test
        void anUnfinishedObjectIsMalformed() {
            assertThat(invalid("{\"event_id\": \"e1\"").reason()).startsWith("malformed JSON");
        }

        @Test
        void contentAfterTheObjectIsMalformed() {
            assertThat(invalid(event("") + " {\"a\":1}").reason())
                    .startsWith("malformed JSON at column ")
                    .endsWith(": unexpected content after the JSON object (one object per line)");
            assertThat(invalid(event("") + " x").reason()).startsWith("malformed JSON at column");
        }

        @Test
        void invalidUtf8IsMalformed() {
            byte[] bytes = event("\"country\":\"ab\"").getBytes(StandardCharsets.UTF_8);
            int at = new String(bytes, StandardCharsets.UTF_8).indexOf("ab");
            bytes[at] = (byte) 0xC3; // a lead byte followed by an ASCII byte
            ConvertedRow row = events.convert(bytes, 0, bytes.length, WORKSPACE, NOW);
            assertThat(row).isInstanceOfSatisfying(ConvertedRow.Invalid.class,
                    i -> assertThat(i.reason()).startsWith("malformed JSON").contains("UTF-8"));
        }

        @Test
        void theFirstProblemOfARowIsReported() {
            ConvertedRow.Invalid i = invalid("{\"quantity\":\"x\",\"price\":\"y\"}");
            assertThat(i.column()).isEqualTo("quantity");
        }
    }

    /** The converter knows no datasource: a schema with other types works the same way. */
    @Nested
    class AnyDatasource {
        private final Schema probeSchema = new Schema.Parser().parse("""
                {"type": "record", "name": "Probe", "namespace": "test", "fields": [
                  {"name": "workspace_id", "type": "string"},
                  {"name": "id", "type": "string"},
                  {"name": "count", "type": "long"},
                  {"name": "flag", "type": ["null", "boolean"], "default": null},
                  {"name": "ratio", "type": ["double", "null"]},
                  {"name": "level", "type": ["null", "float"], "default": null},
                  {"name": "day", "type": ["null", {"type": "int", "logicalType": "date"}], "default": null},
                  {"name": "kind", "type": ["null", {"type": "enum", "name": "Kind", "symbols": ["A", "B"]}], "default": null},
                  {"name": "ingested_at", "type": {"type": "long", "logicalType": "timestamp-millis"}}
                ]}""");
        private final RowConverter probes = RowConverter.forDatasource(
                new Datasource("probes", "probes", probeSchema, "id", List.of("workspace_id", "ingested_at"), Datasource.Mode.APPEND), JSON, MAX_STRING);

        @Test
        void convertsEveryType() {
            ConvertedRow row = convert(probes, "{\"id\":\"p1\",\"count\":9007199254740993,\"flag\":true,\"ratio\":0.25,"
                    + "\"level\":1.5,\"day\":\"2024-02-29\",\"kind\":\"B\"}");
            assertThat(row).isInstanceOf(ConvertedRow.Valid.class);
            ConvertedRow.Valid v = (ConvertedRow.Valid) row;
            assertThat(v.key()).isEqualTo("ws-1|p1");
            GenericRecord r = v.record();
            assertThat(r.get("count")).isEqualTo(9007199254740993L);
            assertThat(r.get("flag")).isEqualTo(true);
            assertThat(r.get("ratio")).isEqualTo(0.25);
            assertThat(r.get("level")).isEqualTo(1.5f);
            assertThat(r.get("day")).isEqualTo(LocalDate.of(2024, 2, 29));
            assertThat(r.get("kind")).hasToString("B");
            assertThat(r.get("workspace_id")).isEqualTo(WORKSPACE);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "count|1.5|expected an integer, got 1.5",
                "count|99999999999999999999|99999999999999999999 is out of range for long",
                "flag|\"true\"|expected true or false, got a string",
                "ratio|\"0.5\"|expected a number, got a string",
                "ratio|1e999|1e999 is out of range for double",
                "level|1e39|1e39 is out of range for float",
                "day|\"2023-02-29\"|'2023-02-29' is not a valid date: day 29 does not exist in 2023-02",
                "day|\"2023-02-01 00:00:00\"|'2023-02-01 00:00:00' is not a valid date: expected 'YYYY-MM-DD'",
                "kind|\"C\"|expected one of [A, B], got 'C'"})
        void rejectsWrongValues(String field, String value, String reason) {
            ConvertedRow row = convert(probes, "{\"id\":\"p1\",\"count\":1,\"" + field + "\":" + value + "}");
            assertThat(row).isEqualTo(new ConvertedRow.Invalid(field, reason));
        }

        @Test
        void nonNullableFieldsAreRequiredAndNullableOnesNot() {
            assertThat(convert(probes, "{\"id\":\"p1\"}")).isEqualTo(new ConvertedRow.Invalid("count", "required field is missing"));
            assertThat(convert(probes, "{\"id\":\"p1\",\"count\":1}")).isInstanceOf(ConvertedRow.Valid.class);
        }

        @Test
        void aSchemaWithATypeJsonRowsCannotCarryFailsAtStartUp() {
            Schema withMap = new Schema.Parser().parse("""
                    {"type": "record", "name": "Bad", "fields": [
                      {"name": "id", "type": "string"},
                      {"name": "tags", "type": {"type": "map", "values": "string"}}
                    ]}""");
            assertThatThrownBy(() -> RowConverter.forDatasource(new Datasource("bad", "bad", withMap, "id", List.of(), Datasource.Mode.APPEND), JSON, MAX_STRING))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("datasource bad, field tags");
        }

        @Test
        void aServerFieldTheGatewayCannotSetFailsAtStartUp() {
            assertThatThrownBy(() -> RowConverter.forDatasource(new Datasource("bad", "bad", probeSchema, "id", List.of("count"), Datasource.Mode.APPEND), JSON, MAX_STRING))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("server field count");
        }
    }

    @Nested
    class SegmentRules {
        private final RowConverter segments = RowConverter.forDatasource(Datasources.CUSTOMER_SEGMENTS, JSON, MAX_STRING);

        private static String segment(String rule) {
            return "{\"segment_id\":\"s1\",\"segment_name\":\"High value\",\"segment_rules\":" + rule + "}";
        }

        @Test
        void aRuleThatParsesIsAccepted() {
            ConvertedRow row = convert(segments, segment("\"total_spent > 1000 AND session_count > 10\""));
            assertThat(row).isInstanceOf(ConvertedRow.Valid.class);
            assertThat(((ConvertedRow.Valid) row).key()).isEqualTo("ws-1|s1");
        }

        @Test
        void noRuleIsAccepted() {
            assertThat(convert(segments, segment("null"))).isInstanceOf(ConvertedRow.Valid.class);
        }

        @Test
        void aRuleThatDoesNotParseRejectsTheRowWithThePosition() {
            assertThat(convert(segments, segment("\"total_spent > 1000 AND session_count 10\""))).isEqualTo(new ConvertedRow.Invalid(
                    "segment_rules", "rule does not parse: expected a comparison operator at position 38, found '10'"));
            ConvertedRow.Invalid unknown = (ConvertedRow.Invalid) convert(segments, segment("\"spend > 1\""));
            assertThat(unknown.column()).isEqualTo("segment_rules");
            assertThat(unknown.reason()).startsWith("rule does not parse: unknown field 'spend' at position 1 (known fields: ");
        }

        @Test
        void fieldsOfTheFinXSegmentsApiAreIgnoredLikeUnknownKeys() {
            ConvertedRow row = convert(segments, "{\"segment_id\":\"s1\",\"segment_name\":\"n\",\"criteria\":\"free text\","
                    + "\"created_at\":\"2020-01-01 00:00:00\"}");
            assertThat(row).isInstanceOf(ConvertedRow.Valid.class);
            GenericRecord record = (GenericRecord) ((ConvertedRow.Valid) row).record();
            assertThat(record.get("criteria")).isNull();
            assertThat(record.get("created_at")).isNull();
        }

        @Test
        void otherDatasourcesHaveNoSuchCheck() {
            assertThat(convert(events, event("\"segment_rules\":\"not a rule\""))).isInstanceOf(ConvertedRow.Valid.class);
        }
    }
}
