package io.tributary.query.pipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tributary.platform.http.ApiException;
import io.tributary.platform.http.ErrorDetail;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PipeArgumentsTest {

    private static final PipeDefinition ACTIVITY = PipeFixtures.customerActivity();
    private static final PipeDefinition TYPES = PipeFileParser.parse("types.pipe", """
            PARAM n32 Int32
            PARAM n64 Int64
            PARAM f Float64 min=0 max=1
            PARAM d Decimal
            PARAM day Date
            PARAM flag Boolean
            PARAM kind String values=page_view|purchase

            SQL >
                SELECT 1 FROM t WHERE workspace_id = {{workspace_id}}
                {% if defined(n32) %} AND {{n32}} {% end %} {% if defined(n64) %} AND {{n64}} {% end %}
                {% if defined(f) %} AND {{f}} {% end %} {% if defined(d) %} AND {{d}} {% end %}
                {% if defined(day) %} AND {{day}} {% end %} {% if defined(flag) %} AND {{flag}} {% end %}
                {% if defined(kind) %} AND {{kind}} {% end %}
            """);

    @Test
    void appliesDefaultsAndLeavesAbsentOptionalParametersUndefined() {
        PipeArguments arguments = PipeArguments.parse(ACTIVITY, query("customer_id", "cust-789"));

        assertThat(arguments.values()).containsExactly(Map.entry("customer_id", "cust-789"), Map.entry("limit", 100));
        assertThat(arguments.defined("event_type")).isFalse();
    }

    @Test
    void parsesEveryParameterOfTheSeedExample() {
        PipeArguments arguments = PipeArguments.parse(ACTIVITY, query("customer_id", "cust-789", "event_type", "page_view",
                "start_date", "2023-01-01 00:00:00", "end_date", "2023-12-31 23:59:59", "limit", "7", "token", "secret"));

        assertThat(arguments.values()).containsExactly(
                Map.entry("customer_id", "cust-789"),
                Map.entry("event_type", "page_view"),
                Map.entry("start_date", Instant.parse("2023-01-01T00:00:00Z")),
                Map.entry("end_date", Instant.parse("2023-12-31T23:59:59Z")),
                Map.entry("limit", 7));
    }

    @ParameterizedTest
    @CsvSource({
            "2023-06-15 14:30:45, 2023-06-15T14:30:45Z",
            "2023-06-15, 2023-06-15T00:00:00Z",
            "2023-06-15T14:30:45, 2023-06-15T14:30:45Z",
            "2023-06-15T14:30:45Z, 2023-06-15T14:30:45Z",
            "2023-06-15T16:30:45+02:00, 2023-06-15T14:30:45Z",
            "2023-06-15T14:30:45.250Z, 2023-06-15T14:30:45.250Z"})
    void acceptsDateTimesInTheSeedsFormatAsADateAndInIso8601(String given, String expected) {
        PipeArguments arguments = PipeArguments.parse(ACTIVITY, query("customer_id", "c", "start_date", given));

        assertThat(arguments.values().get("start_date")).isEqualTo(Instant.parse(expected));
    }

    @Test
    void aMissingRequiredParameterIsNamed() {
        ApiException e = fails(ACTIVITY, query("event_type", "page_view"));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.code()).isEqualTo("INVALID_PARAMETER");
        assertThat(e.getMessage()).isEqualTo("parameter 'customer_id' is required (a String)");
        assertThat(e.details()).containsExactly(ErrorDetail.field("customer_id", "is required (a String)"));
    }

    @Test
    void anEmptyRequiredParameterCountsAsMissingAndAnEmptyOptionalOneAsAbsent() {
        assertThat(fails(ACTIVITY, query("customer_id", "")).getMessage()).isEqualTo("parameter 'customer_id' is required (a String)");
        assertThat(PipeArguments.parse(ACTIVITY, query("customer_id", "c", "event_type", "", "limit", "")).values())
                .containsExactly(Map.entry("customer_id", "c"), Map.entry("limit", 100));
    }

    @Test
    void aMalformedDateTimeNamesTheParameterAndTheFormat() {
        ApiException e = fails(ACTIVITY, query("customer_id", "c", "start_date", "15/06/2023"));

        assertThat(e.getMessage()).startsWith("parameter 'start_date' must be a DateTime as YYYY-MM-DD HH:MM:SS");
        assertThat(e.details()).extracting(ErrorDetail::field).containsExactly("start_date");
    }

    @Test
    void anImpossibleDateIsRejected() {
        assertThat(fails(ACTIVITY, query("customer_id", "c", "end_date", "2023-02-30 00:00:00")).getMessage())
                .startsWith("parameter 'end_date' must be a DateTime as YYYY-MM-DD HH:MM:SS");
    }

    @Test
    void aDateTimeOutsideWhatBothStoresHoldIsRejected() {
        assertThat(fails(ACTIVITY, query("customer_id", "c", "start_date", "1969-12-31 23:59:59")).getMessage())
                .isEqualTo("parameter 'start_date' must be between 1970-01-01 and 2105-12-31 (the range both stores can hold)");
    }

    @ParameterizedTest
    @CsvSource({
            "0, parameter 'limit' must be at least 1 (allowed: 1 to 100000)",
            "100001, parameter 'limit' must be at most 100000 (allowed: 1 to 100000)",
            "ten, parameter 'limit' must be an Int32 (a whole number from -2147483648 to 2147483647)",
            "1.5, parameter 'limit' must be an Int32 (a whole number from -2147483648 to 2147483647)",
            "99999999999, parameter 'limit' must be an Int32 (a whole number from -2147483648 to 2147483647)"})
    void anInvalidLimitIsNamedWithItsBounds(String limit, String message) {
        assertThat(fails(ACTIVITY, query("customer_id", "c", "limit", limit)).getMessage()).isEqualTo(message);
    }

    @Test
    void aParameterGivenTwiceIsRejected() {
        Map<String, List<String>> query = new LinkedHashMap<>();
        query.put("customer_id", List.of("a", "b"));

        assertThat(fails(ACTIVITY, query).getMessage()).isEqualTo("parameter 'customer_id' was given 2 times; give it once");
    }

    @Test
    void unknownParametersAreNamedWithTheAcceptedOnes() {
        ApiException e = fails(ACTIVITY, query("customer_id", "c", "q", "select 1", "_", "123", "eventtype", "x"));

        assertThat(e.details()).extracting(ErrorDetail::field).containsExactly("_", "eventtype", "q");
        assertThat(e.getMessage()).startsWith("parameter '_' is not a parameter of pipe customer_activity; accepted: "
                + "customer_id, event_type, start_date, end_date, limit (and token); parameter 'eventtype' is not");
    }

    @Test
    void workspaceIdCannotBePassedByTheCaller() {
        assertThat(fails(ACTIVITY, query("customer_id", "c", "workspace_id", "other")).details())
                .extracting(ErrorDetail::field).containsExactly("workspace_id");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        ApiException e = fails(ACTIVITY, query("start_date", "yesterday", "limit", "-1", "x", "1"));

        assertThat(e.details()).extracting(ErrorDetail::field).containsExactly("x", "customer_id", "start_date", "limit");
    }

    @Test
    void parsesEachType() {
        PipeArguments arguments = PipeArguments.parse(TYPES, query("n32", "-5", "n64", "9000000000", "f", "0.25", "d", "49.90",
                "day", "2023-06-15", "flag", "TRUE", "kind", "purchase"));

        assertThat(arguments.values()).containsExactly(
                Map.entry("n32", -5), Map.entry("n64", 9_000_000_000L), Map.entry("f", 0.25), Map.entry("d", new BigDecimal("49.90")),
                Map.entry("day", LocalDate.of(2023, 6, 15)), Map.entry("flag", true), Map.entry("kind", "purchase"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "n64 | 1e3 | parameter 'n64' must be an Int64 (a whole number)",
            "f | 2 | parameter 'f' must be at most 1 (allowed: 0 to 1)",
            "f | NaN | parameter 'f' must be a Float64 (a number such as 12.5 or 1e3)",
            "f | 1d | parameter 'f' must be a Float64 (a number such as 12.5 or 1e3)",
            "d | 1e3 | parameter 'd' must be a Decimal (a number such as 49.99)",
            "day | 2023-06-15 10:00:00 | parameter 'day' must be a Date as YYYY-MM-DD",
            "flag | yes | parameter 'flag' must be a Boolean (true, false, 1 or 0)",
            "kind | click | parameter 'kind' must be one of: page_view, purchase"})
    void eachTypeNamesItsExpectedFormat(String param, String value, String message) {
        assertThat(fails(TYPES, query(param, value)).getMessage()).isEqualTo(message);
    }

    @Test
    void anInjectionStringIsJustAStringValue() {
        assertThat(PipeArguments.parse(ACTIVITY, query("customer_id", "x' OR '1'='1")).values().get("customer_id"))
                .isEqualTo("x' OR '1'='1");
    }

    private static ApiException fails(PipeDefinition pipe, Map<String, List<String>> query) {
        return catchThrowableOfType(ApiException.class, () -> PipeArguments.parse(pipe, query));
    }

    private static Map<String, List<String>> query(String... nameValues) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            query.computeIfAbsent(nameValues[i], k -> new java.util.ArrayList<>()).add(nameValues[i + 1]);
        }
        return query;
    }
}
