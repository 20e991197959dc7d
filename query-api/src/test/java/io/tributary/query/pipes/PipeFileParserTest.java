package io.tributary.query.pipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.platform.store.StoreDialect;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PipeFileParserTest {

    private static final String HEADER = """
            DESCRIPTION >
                Test pipe.

            PARAM customer_id String required
                The customer
            """;

    @Test
    void parsesTheShippedCustomerActivityPipeAsTheSeedDescribesIt() {
        PipeDefinition pipe = PipeFixtures.customerActivity();

        assertThat(pipe.name()).isEqualTo("customer_activity");
        assertThat(pipe.description()).isEqualTo("Retrieves event activity for a specific customer with filtering options.");
        assertThat(pipe.params()).extracting(PipeParam::name)
                .containsExactly("customer_id", "event_type", "start_date", "end_date", "limit");
        assertThat(pipe.params()).extracting(p -> p.type().typeName())
                .containsExactly("String", "String", "DateTime", "DateTime", "Int32");
        assertThat(pipe.params()).extracting(PipeParam::required).containsExactly(true, false, false, false, false);
        PipeParam limit = pipe.param("limit").orElseThrow();
        assertThat(limit.defaultValue()).contains(100);
        assertThat(limit.min()).contains(1);
        assertThat(limit.max()).contains(100000);
        assertThat(pipe.param("start_date").orElseThrow().description())
                .isEqualTo("Start date for filtering events (format: YYYY-MM-DD HH:MM:SS)");
        assertThat(pipe.pageLimitParam()).contains("limit");
        assertThat(sqlText(pipe.template(StoreDialect.CLICKHOUSE))).contains("FROM customer_events FINAL");
        assertThat(sqlText(pipe.template(StoreDialect.DUCKDB))).doesNotContain("FINAL");
    }

    @Test
    void parsesOptionsQuotedValuesCommentsAndASharedSqlSection() {
        PipeDefinition pipe = PipeFileParser.parse("options.pipe", """
                # a comment line
                DESCRIPTION >
                    First line.
                    Second line.

                PARAM since DateTime default="2023-01-01 00:00:00"
                    Lower bound,
                    inclusive
                PARAM kind String values=page_view|purchase default=purchase
                PARAM ratio Float64 min=-1.5 max=2e3
                PARAM price Decimal default=49.90
                PARAM day Date
                PARAM flag Boolean default=false
                PARAM big Int64 required

                SQL >
                    SELECT 1 FROM customer_events
                    WHERE "workspace_id" = {{workspace_id}} AND event_timestamp >= {{since}} AND event_type = {{kind}}
                      AND price >= {{price}} AND quantity < {{big}} AND {{flag}}
                      {% if defined(ratio) %} AND {{ratio}} > 0 {% end %}
                      {% if defined(day) %} AND CAST(event_timestamp AS DATE) = {{day}} {% end %}
                """);

        assertThat(pipe.description()).isEqualTo("First line.\nSecond line.");
        PipeParam since = pipe.param("since").orElseThrow();
        assertThat(since.defaultValue()).contains(Instant.parse("2023-01-01T00:00:00Z"));
        assertThat(since.defaultText()).contains("2023-01-01 00:00:00");
        assertThat(since.description()).isEqualTo("Lower bound, inclusive");
        assertThat(pipe.param("kind").orElseThrow().allowedValues()).containsExactly("page_view", "purchase");
        assertThat(pipe.param("ratio").orElseThrow().min()).contains(-1.5);
        assertThat(pipe.param("ratio").orElseThrow().max()).contains(2000.0);
        assertThat(pipe.param("price").orElseThrow().defaultValue()).contains(new BigDecimal("49.90"));
        assertThat(pipe.param("flag").orElseThrow().defaultValue()).contains(false);
        assertThat(pipe.param("big").orElseThrow().required()).isTrue();
        assertThat(sqlText(pipe.template(StoreDialect.CLICKHOUSE))).isEqualTo(sqlText(pipe.template(StoreDialect.DUCKDB)));
        assertThat(pipe.pageLimitParam()).isEmpty();
    }

    @Test
    void aDialectSectionOverridesTheSharedOneForThatStoreOnly() {
        PipeDefinition pipe = PipeFileParser.parse("variants.pipe", HEADER + """
                SQL >
                    SELECT 'shared' FROM customer_events WHERE workspace_id = {{workspace_id}} AND customer_id = {{customer_id}}
                SQL clickhouse >
                    SELECT 'ch' FROM customer_events FINAL WHERE workspace_id = {{workspace_id}} AND customer_id = {{customer_id}}
                """);

        assertThat(sqlText(pipe.template(StoreDialect.DUCKDB))).contains("'shared'");
        assertThat(sqlText(pipe.template(StoreDialect.CLICKHOUSE))).contains("'ch'");
    }

    @Test
    void aPipeMayServeEveryDialectFromItsOwnSectionWithoutASharedOne() {
        PipeDefinition pipe = PipeFileParser.parse("split.pipe", HEADER + """
                SQL duckdb >
                    SELECT 'duck' FROM customer_events WHERE workspace_id = {{workspace_id}} AND customer_id = {{customer_id}}
                SQL clickhouse >
                    SELECT 'ch' FROM customer_events FINAL WHERE workspace_id = {{workspace_id}} AND customer_id = {{customer_id}}
                """);

        assertThat(sqlText(pipe.template(StoreDialect.DUCKDB))).contains("'duck'");
        assertThat(sqlText(pipe.template(StoreDialect.CLICKHOUSE))).contains("'ch'");
    }

    static Stream<Arguments> brokenFiles() {
        String sql = """

                SQL >
                    SELECT 1 FROM customer_events WHERE workspace_id = {{workspace_id}} AND customer_id = {{customer_id}}
                """;
        return Stream.of(
                broken("unknown type", HEADER + "PARAM n Integer\n" + sql, 6, "unknown type 'Integer' for parameter 'n': expected one of String, Int32"),
                broken("unknown option", HEADER + "PARAM n Int32 maximum=3\n" + sql, 6, "unknown option 'maximum=3'"),
                broken("bare word option", HEADER + "PARAM n Int32 optional\n" + sql, 6, "unknown option 'optional'"),
                broken("name and type missing", HEADER + "PARAM n\n" + sql, 6, "PARAM needs a name and a type"),
                broken("invalid name", HEADER + "PARAM 1n Int32\n" + sql, 6, "invalid parameter name '1n'"),
                broken("required with default", HEADER + "PARAM n Int32 required default=3\n" + sql, 6, "is required and has a default"),
                broken("default of wrong type", HEADER + "PARAM n Int32 default=abc\n" + sql, 6, "default=abc of parameter 'n' must be an Int32"),
                broken("default below min", HEADER + "PARAM n Int32 default=0 min=1\n" + sql, 6, "default=0 of parameter 'n' must be at least 1"),
                broken("min above max", HEADER + "PARAM n Int32 min=5 max=1\n" + sql, 6, "min=5 is greater than max=1"),
                broken("min on a String", HEADER + "PARAM n String min=1\n" + sql, 6, "min= and max= apply to numeric types only"),
                broken("values on an Int32", HEADER + "PARAM n Int32 values=1|2\n" + sql, 6, "values= applies to String parameters only"),
                broken("default not among values", HEADER + "PARAM n String values=a|b default=c\n" + sql, 6, "must be one of: a, b"),
                broken("option twice", HEADER + "PARAM n Int32 min=1 min=2\n" + sql, 6, "option 'min' given twice"),
                broken("unterminated quote", HEADER + "PARAM n String default=\"x\n" + sql, 6, "unterminated quote"),
                broken("parameter declared twice", HEADER + "PARAM customer_id String\n" + sql, 6, "declared twice (first on line 4)"),
                broken("workspace_id declared", HEADER + "PARAM workspace_id String\n" + sql, 6, "'workspace_id' is reserved"),
                broken("token declared", HEADER + "PARAM token String\n" + sql, 6, "'token' is reserved"),
                broken("unused parameter", HEADER + "PARAM unused String\n" + sql, 6, "parameter 'unused' is never used in SQL (line 8)"),
                broken("indented line outside a section", "    SELECT 1\n", 1, "indented line outside a section"),
                broken("unknown section", HEADER + "NODE foo\n" + sql, 6, "unexpected line 'NODE foo'"),
                broken("second description", HEADER + "DESCRIPTION >\n    again\n" + sql, 6, "second DESCRIPTION section"),
                broken("empty description", "DESCRIPTION >\n\nPARAM customer_id String required\n" + sql, 1, "empty DESCRIPTION"),
                broken("unknown dialect", HEADER + sql + "SQL postgres >\n    SELECT 1\n", 9, "unknown dialect 'postgres'"),
                broken("second SQL section", HEADER + sql + "SQL >\n    SELECT 2\n", 9, "second SQL > section (first on line 7)"),
                broken("empty SQL section", HEADER + "\nSQL >\n\n", 7, "empty SQL > section"),
                brokenWithoutLine("no SQL at all", HEADER, "no SQL for the duckdb store"),
                broken("undeclared placeholder", HEADER + """

                        SQL >
                            SELECT 1 FROM customer_events
                            WHERE workspace_id = {{workspace_id}} AND customer_id = {{customer_id}}
                              AND country = {{country}}
                        """, 10, "{{country}} names no declared parameter: declare it with PARAM country <Type> (declared: customer_id)"),
                broken("optional parameter outside defined()", HEADER + """
                        PARAM country String

                        SQL >
                            SELECT 1 FROM customer_events
                            WHERE workspace_id = {{workspace_id}} AND customer_id = {{customer_id}}
                              AND country = {{country}}
                        """, 11, "{{country}} is optional without a default, so it may only appear inside {% if defined(country) %}"),
                broken("optional parameter in the else of defined()", HEADER + """
                        PARAM country String

                        SQL >
                            SELECT 1 FROM customer_events
                            WHERE workspace_id = {{workspace_id}} AND customer_id = {{customer_id}}
                              {% if defined(country) %} AND 1 = 1 {% else %} AND country = {{country}} {% end %}
                        """, 11, "{{country}} is optional without a default"),
                broken("no workspace filter", HEADER + """

                        SQL >
                            SELECT 1 FROM customer_events WHERE customer_id = {{customer_id}}
                        """, 7, "SQL does not filter on the caller's workspace: add `workspace_id = {{workspace_id}}`"),
                broken("workspace placeholder not compared with workspace_id", HEADER + """

                        SQL >
                            SELECT {{workspace_id}} FROM customer_events WHERE customer_id = {{customer_id}}
                        """, 7, "does not filter on the caller's workspace"),
                broken("workspace filter only inside a condition", HEADER + """
                        PARAM country String

                        SQL >
                            SELECT 1 FROM customer_events WHERE customer_id = {{customer_id}}
                            {% if defined(country) %} AND workspace_id = {{workspace_id}} AND country = {{country}} {% end %}
                        """, 8, "does not filter on the caller's workspace"),
                broken("workspace filter only in the clickhouse section", HEADER + """

                        SQL >
                            SELECT 1 FROM customer_events WHERE customer_id = {{customer_id}}
                        SQL clickhouse >
                            SELECT 1 FROM customer_events FINAL WHERE workspace_id = {{workspace_id}} AND customer_id = {{customer_id}}
                        """, 7, "SQL does not filter on the caller's workspace"),
                broken("workspace filter only in a string literal", HEADER + """

                        SQL >
                            SELECT 'workspace_id = {{workspace_id}}' FROM customer_events WHERE customer_id = {{customer_id}}
                        """, 7, "does not filter on the caller's workspace"),
                broken("unclosed if", HEADER + """
                        PARAM country String

                        SQL >
                            SELECT 1 FROM customer_events
                            WHERE workspace_id = {{workspace_id}} AND customer_id = {{customer_id}}
                              {% if defined(country) %} AND country = {{country}}
                        """, 11, "{% if defined(country) %} is never closed with {% end %}"),
                broken("end without if", HEADER + sql + "    {% end %}\n", 9, "{% end %} without a matching {% if ... %}"),
                broken("else without if", HEADER + sql + "    {% else %}\n", 9, "{% else %} without a matching {% if ... %}"),
                broken("second else", HEADER + """
                        PARAM country String

                        SQL >
                            SELECT 1 FROM customer_events WHERE workspace_id = {{workspace_id}} AND customer_id = {{customer_id}}
                            {% if defined(country) %} AND country = {{country}} {% else %} {% else %} {% end %}
                        """, 10, "second {% else %} in the {% if %} of line 10"),
                broken("unknown directive", HEADER + sql + "    {% for x in y %}\n", 9, "unknown directive {% for x in y %}"),
                broken("endif instead of end", HEADER + """
                        PARAM country String

                        SQL >
                            SELECT 1 FROM customer_events WHERE workspace_id = {{workspace_id}} AND customer_id = {{customer_id}}
                            {% if defined(country) %} AND country = {{country}} {% endif %}
                        """, 10, "unknown directive {% endif %}"),
                broken("defined() of an undeclared parameter", HEADER + sql + "    {% if defined(nope) %} {% end %}\n", 9,
                        "defined(nope) names no declared parameter"),
                broken("defined() of a required parameter", HEADER + sql + "    {% if defined(customer_id) %} {% end %}\n", 9,
                        "defined(customer_id) is always true: 'customer_id' is required"),
                broken("defined() of workspace_id", HEADER + sql + "    {% if defined(workspace_id) %} {% end %}\n", 9,
                        "defined(workspace_id) is always true"),
                broken("unterminated placeholder", HEADER + sql + "    AND x = {{customer_id\n", 9, "unterminated {{"),
                broken("expression in a placeholder", HEADER + sql + "    AND x = {{customer_id + 1}}\n", 9,
                        "{{customer_id + 1}} is not a parameter name"),
                broken("question mark in SQL", HEADER + sql + "    AND x = ?\n", 9, "'?' is not allowed in pipe SQL"),
                broken("question mark in a literal", HEADER + sql + "    AND x = 'why?'\n", 9, "'?' is not allowed in pipe SQL, even in literals"),
                broken("unterminated literal", HEADER + sql + "    AND x = 'abc\n    AND y = 1\n", 9, "unterminated string literal"),
                broken("unterminated comment", HEADER + sql + "    /* note\n", 9, "unterminated comment"),
                broken("page limit without max", HEADER + """
                        PARAM limit Int32 default=10 min=1

                        SQL >
                            SELECT 1 FROM customer_events WHERE workspace_id = {{workspace_id}} AND customer_id = {{customer_id}}
                            LIMIT {{limit}}
                        """, 6, "the page limit parameter 'limit' needs min= (0 or more) and max="),
                broken("page limit with a negative min", HEADER + """
                        PARAM limit Int32 default=10 min=-1 max=10

                        SQL >
                            SELECT 1 FROM customer_events WHERE workspace_id = {{workspace_id}} AND customer_id = {{customer_id}}
                            LIMIT {{limit}}
                        """, 6, "needs min= (0 or more)"),
                broken("page limit of a non-integer type", HEADER + """
                        PARAM limit Float64 default=10 min=1 max=10

                        SQL >
                            SELECT 1 FROM customer_events WHERE workspace_id = {{workspace_id}} AND customer_id = {{customer_id}}
                            LIMIT {{limit}}
                        """, 10, "the page limit LIMIT {{limit}} must be an Int32 or Int64 parameter, not Float64"),
                broken("page limit missing from one dialect", HEADER + """
                        PARAM limit Int32 default=10 min=1 max=10

                        SQL >
                            SELECT 1 FROM customer_events WHERE workspace_id = {{workspace_id}} AND customer_id = {{customer_id}}
                            LIMIT {{limit}}
                        SQL clickhouse >
                            SELECT 1 FROM customer_events FINAL WHERE workspace_id = {{workspace_id}} AND customer_id = {{customer_id}}
                            LIMIT {{limit}} + 0
                        """, 11, "SQL clickhouse must end with the same LIMIT {{...}} as SQL (LIMIT {{limit}})"));
    }

    private static Arguments broken(String why, String text, int line, String problem) {
        return Arguments.of(why, text, "t.pipe:" + line + ": ", problem);
    }

    private static Arguments brokenWithoutLine(String why, String text, String problem) {
        return Arguments.of(why, text, "t.pipe: ", problem);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    void rejectsBrokenFilesNamingFileAndLine(String why, String text, String location, String problem) {
        assertThatThrownBy(() -> PipeFileParser.parse("t.pipe", text))
                .isInstanceOf(PipeDefinitionException.class)
                .hasMessageStartingWith(location)
                .hasMessageContaining(problem);
    }

    @Test
    void rejectsAFileNameThatIsNotAPipeName() {
        assertThatThrownBy(() -> PipeFileParser.parse("customer-activity.pipe", HEADER))
                .isInstanceOf(PipeDefinitionException.class)
                .hasMessageStartingWith("customer-activity.pipe: a pipe file is named <name>.pipe");
    }

    @Test
    void reportsTheLineOfAnErrorInsideAMultiLineLiteralOrComment() {
        String text = HEADER + """

                SQL >
                    SELECT 1 FROM customer_events /* spans
                    two lines */ WHERE workspace_id = {{workspace_id}} AND customer_id = {{customer_id}}
                    AND note = 'first
                    second' AND {{nope}} = 1
                """;

        assertThatThrownBy(() -> PipeFileParser.parse("t.pipe", text))
                .hasMessageStartingWith("t.pipe:11: ")
                .hasMessageContaining("{{nope}} names no declared parameter");
    }

    @Test
    void windowsLineEndingsParseLikeUnixOnes() {
        String unix = HEADER + """

                SQL >
                    SELECT 1 FROM customer_events WHERE workspace_id = {{workspace_id}} AND customer_id = {{customer_id}}
                """;

        PipeDefinition pipe = PipeFileParser.parse("crlf.pipe", unix.replace("\n", "\r\n"));

        assertThat(sqlText(pipe.template(StoreDialect.DUCKDB))).isEqualTo(sqlText(PipeFileParser.parse("crlf.pipe", unix)
                .template(StoreDialect.DUCKDB)));
        assertThat(pipe.param("customer_id").map(PipeParam::description)).isEqualTo(Optional.of("The customer"));
    }

    /** The template's text with placeholders shown as {{name}}, conditionals flattened; enough to compare sections. */
    static String sqlText(PipeTemplate template) {
        StringBuilder out = new StringBuilder();
        flatten(template.nodes(), out);
        return out.toString();
    }

    private static void flatten(List<PipeTemplate.Node> nodes, StringBuilder out) {
        for (PipeTemplate.Node node : nodes) {
            if (node instanceof PipeTemplate.Text t) {
                out.append(t.sql());
            } else if (node instanceof PipeTemplate.Placeholder p) {
                out.append("{{").append(p.param()).append("}}");
            } else if (node instanceof PipeTemplate.Conditional c) {
                out.append("{% if ").append(c.negated() ? "not " : "").append("defined(").append(c.param()).append(") %}");
                flatten(c.then(), out);
                out.append("{% else %}");
                flatten(c.otherwise(), out);
                out.append("{% end %}");
            }
        }
    }
}
