package io.tributary.query.pipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.platform.store.BoundQuery;
import io.tributary.platform.store.QueryParam;
import io.tributary.platform.store.StoreDialect;
import io.tributary.platform.store.ValueType;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipeTemplateTest {

    private static final String WS = "ws-1";

    @Test
    void bindsEveryPlaceholderAsATypedParameterInOrder() {
        PipeTemplate template = PipeFixtures.customerActivity().template(StoreDialect.DUCKDB);

        BoundQuery query = template.render(Map.of(
                "workspace_id", WS, "customer_id", "cust-789", "event_type", "page_view",
                "start_date", Instant.parse("2023-01-01T00:00:00Z"), "end_date", Instant.parse("2023-12-31T23:59:59Z"),
                "limit", 100));

        assertThat(query.sql()).isEqualTo("""
                WITH customer AS MATERIALIZED (
                    SELECT * FROM customer_events WHERE customer_id = ?
                )
                SELECT event_id, customer_id, event_type, event_timestamp, session_id, page_url,
                       product_id, category_id, price, quantity, device_type, country, referrer,
                       user_agent, ingested_at
                FROM customer
                WHERE workspace_id = ?
                   AND event_type = ?\s
                   AND event_timestamp >= ?\s
                   AND event_timestamp <= ?\s
                ORDER BY event_timestamp DESC, event_id
                LIMIT ?""");
        assertThat(query.params()).containsExactly(
                QueryParam.string("cust-789"),
                QueryParam.string(WS),
                QueryParam.string("page_view"),
                new QueryParam(ValueType.TIMESTAMP, Instant.parse("2023-01-01T00:00:00Z")),
                new QueryParam(ValueType.TIMESTAMP, Instant.parse("2023-12-31T23:59:59Z")),
                QueryParam.int64(101));
    }

    @Test
    void leavesOutTheConditionsOfAbsentOptionalParameters() {
        PipeTemplate template = PipeFixtures.customerActivity().template(StoreDialect.CLICKHOUSE);

        BoundQuery query = template.render(Map.of("workspace_id", WS, "customer_id", "cust-789", "limit", 10));

        assertThat(query.sql()).contains("FROM customer_events FINAL")
                .doesNotContain("event_type =").doesNotContain("event_timestamp >=").doesNotContain("event_timestamp <=");
        assertThat(query.params()).containsExactly(QueryParam.string(WS), QueryParam.string("cust-789"), QueryParam.int64(11));
    }

    @Test
    void nestedConditionsRenderOnlyWhenEveryEnclosingParameterIsDefined() {
        PipeTemplate template = template("""
                PARAM a String
                PARAM b Int32
                """, """
                SELECT 1 FROM t WHERE workspace_id = {{workspace_id}}
                {% if defined(a) %} AND a = {{a}}{% if defined(b) %} AND b = {{b}}{% end %}{% end %}""");

        assertThat(render(template, Map.of()).sql()).isEqualTo("SELECT 1 FROM t WHERE workspace_id = ?");
        assertThat(render(template, Map.of("b", 2)).sql()).isEqualTo("SELECT 1 FROM t WHERE workspace_id = ?");
        assertThat(render(template, Map.of("a", "x")).sql()).isEqualTo("SELECT 1 FROM t WHERE workspace_id = ?\n AND a = ?");
        BoundQuery both = render(template, Map.of("a", "x", "b", 2));
        assertThat(both.sql()).isEqualTo("SELECT 1 FROM t WHERE workspace_id = ?\n AND a = ? AND b = ?");
        assertThat(both.params()).containsExactly(QueryParam.string(WS), QueryParam.string("x"), new QueryParam(ValueType.INT32, 2));
    }

    @Test
    void notDefinedAndElseChooseTheOtherBranch() {
        PipeTemplate template = template("PARAM since Date\n", """
                SELECT 1 FROM t WHERE workspace_id = {{workspace_id}}
                {% if not defined(since) %}AND day >= today() - 7{% else %}AND day >= {{since}}{% end %}""");

        assertThat(render(template, Map.of()).sql()).endsWith("\nAND day >= today() - 7");
        BoundQuery given = render(template, Map.of("since", java.time.LocalDate.of(2023, 6, 1)));
        assertThat(given.sql()).endsWith("\nAND day >= ?");
        assertThat(given.params()).containsExactly(QueryParam.string(WS), new QueryParam(ValueType.DATE, java.time.LocalDate.of(2023, 6, 1)));
    }

    @Test
    void templateSyntaxInsideLiteralsIdentifiersAndCommentsIsLeftAlone() {
        String sql = """
                SELECT '{{customer_id}}' AS a, 'it''s {% if defined(x) %}' AS b, "{{col}}", `{{col}}`
                FROM t -- {{comment}} {% end %}
                WHERE workspace_id = {{workspace_id}} /* {{block}}
                  {% if %} */ AND c = {{customer_id}}""";
        PipeTemplate template = template("PARAM customer_id String required\n", sql);

        BoundQuery query = render(template, Map.of("customer_id", "cust-1"));

        assertThat(query.sql()).isEqualTo(sql.replace("= {{workspace_id}}", "= ?").replace("= {{customer_id}}", "= ?"));
        assertThat(query.params()).containsExactly(QueryParam.string(WS), QueryParam.string("cust-1"));
    }

    @Test
    void clickHouseSectionsMayEscapeQuotesWithABackslash() {
        PipeDefinition pipe = PipeFileParser.parse("t.pipe", """
                SQL duckdb >
                    SELECT 'a''{{x}}' FROM t WHERE workspace_id = {{workspace_id}}
                SQL clickhouse >
                    SELECT 'a\\'{{x}}' FROM t FINAL WHERE workspace_id = {{workspace_id}}
                """);

        BoundQuery query = pipe.template(StoreDialect.CLICKHOUSE).render(Map.of("workspace_id", WS));

        assertThat(query.sql()).isEqualTo("SELECT 'a\\'{{x}}' FROM t FINAL WHERE workspace_id = ?");
        assertThat(query.params()).containsExactly(QueryParam.string(WS));
    }

    @Test
    void aValueThatLooksLikeSqlIsBoundNeverInlined() {
        String injection = "x' OR '1'='1";
        PipeTemplate template = PipeFixtures.customerActivity().template(StoreDialect.DUCKDB);

        BoundQuery query = template.render(Map.of("workspace_id", WS, "customer_id", injection, "event_type", injection, "limit", 5));

        assertThat(query.sql()).doesNotContain("' OR '").doesNotContain("'1'").doesNotContain("x'");
        assertThat(query.params()).containsExactly(QueryParam.string(injection), QueryParam.string(WS), QueryParam.string(injection),
                QueryParam.int64(6));
    }

    @Test
    void onlyTheFinalLimitIsThePageLimit() {
        PipeTemplate template = template("""
                PARAM top Int32 default=3 min=1 max=10
                PARAM limit Int64 default=50 min=0 max=1000
                """, """
                SELECT * FROM (SELECT * FROM t WHERE workspace_id = {{workspace_id}} LIMIT {{top}}) AS s
                LIMIT {{limit}}
                """);

        assertThat(template.pageLimitParam()).contains("limit");
        assertThat(render(template, Map.of("top", 3, "limit", 50L)).params())
                .containsExactly(QueryParam.string(WS), new QueryParam(ValueType.INT32, 3), QueryParam.int64(51));
    }

    @Test
    void aLimitThatIsNotTheLastClauseIsNotAPageLimit() {
        PipeTemplate template = template("PARAM n Int32 default=3 min=1 max=10\n", """
                SELECT customer_id FROM t WHERE workspace_id = {{workspace_id}} LIMIT {{n}} BY customer_id""");

        assertThat(template.pageLimitParam()).isEmpty();
        assertThat(render(template, Map.of("n", 3)).params()).containsExactly(QueryParam.string(WS), new QueryParam(ValueType.INT32, 3));
    }

    @Test
    void acceptsAWorkspaceFilterOnAQualifiedOrQuotedColumn() {
        assertThat(template("", "SELECT 1 FROM customer_events AS e WHERE e.workspace_id={{workspace_id}}").nodes()).isNotEmpty();
        assertThat(template("", "SELECT 1 FROM customer_events WHERE `workspace_id` = {{workspace_id}}").nodes()).isNotEmpty();
    }

    @Test
    void rejectsAWorkspacePlaceholderThatDoesNotFilterTheWorkspaceColumn() {
        assertThatThrownBy(() -> template("", "SELECT 1 FROM t WHERE other_workspace_id = {{workspace_id}}"))
                .hasMessageContaining("does not filter on the caller's workspace");
        assertThatThrownBy(() -> template("", "SELECT 1 FROM t WHERE workspace_id != {{workspace_id}}"))
                .hasMessageContaining("does not filter on the caller's workspace");
    }

    private static PipeTemplate template(String params, String sql) {
        String body = "    " + sql.replace("\n", "\n    ");
        return PipeFileParser.parse("t.pipe", params + "\nSQL >\n" + body + "\n").template(StoreDialect.DUCKDB);
    }

    private static BoundQuery render(PipeTemplate template, Map<String, Object> arguments) {
        Map<String, Object> all = new HashMap<>(arguments);
        all.put("workspace_id", WS);
        return template.render(all);
    }
}
