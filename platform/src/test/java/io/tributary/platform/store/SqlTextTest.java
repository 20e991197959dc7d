package io.tributary.platform.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlTextTest {

    @Test
    void placeholdersAreOnlyTheQuestionMarksThatAreCode() {
        String sql = "SELECT '?', \"a?\", `b?`, 'it''s ?', 'esc\\' ?', ? -- ? comment\n, /* ? */ ? FROM t WHERE x = ?";
        List<Integer> offsets = SqlText.placeholderOffsets(sql);
        assertThat(offsets).containsExactly(sql.indexOf("? --"), sql.indexOf("*/ ?") + 3, sql.length() - 1);
    }

    @Test
    void commentsGoAndLiteralsThatLookLikeCommentsStay() {
        assertThat(SqlText.withoutComments("a, -- it's (\nb '--x' /* ) */ `/*`")).isEqualTo("a,  \nb '--x'   `/*`");
    }

    @Test
    void parenthesesAndCommasCountOnlyAsCode() {
        String sql = "f(a, ')', g(b, c), \"(\") , d";
        assertThat(SqlText.closingParenthesis(sql, 1)).isEqualTo(sql.indexOf(" ,") - 1);
        assertThat(SqlText.closingParenthesis(sql, sql.indexOf("g(") + 1)).isEqualTo(sql.indexOf("c)") + 1);
        assertThatThrownBy(() -> SqlText.closingParenthesis("f(a, ')'", 1)).hasMessageContaining("unbalanced");
        assertThat(SqlText.splitTopLevelCommas(sql)).containsExactly("f(a, ')', g(b, c), \"(\")", "d");
        assertThat(SqlText.splitTopLevelCommas("x")).containsExactly("x");
    }

    @Test
    void aBackslashEscapesTheNextCharacterInsideQuotes() {
        String escapedQuote = "SELECT 'a\\'?' , ?";
        assertThat(SqlText.placeholderOffsets(escapedQuote)).containsExactly(escapedQuote.lastIndexOf('?'));
        String escapedBackslash = "SELECT 'a\\\\', ?";
        assertThat(SqlText.placeholderOffsets(escapedBackslash)).containsExactly(escapedBackslash.lastIndexOf('?'));
    }

    @Test
    void aCommentEndsAtTheEndOfTheLine() {
        assertThat(SqlText.placeholderOffsets("SELECT 1 -- ?\r?")).containsExactly(14);
        assertThat(SqlText.placeholderOffsets("SELECT 1 - -?")).containsExactly(12);
        assertThat(SqlText.placeholderOffsets("SELECT 1 /* ? */ /?")).containsExactly(18);
    }

    @Test
    void unterminatedLiteralsAndCommentsAreRejected() {
        assertThatThrownBy(() -> SqlText.placeholderOffsets("SELECT 'abc ?")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unterminated string literal starting at offset 7");
        assertThatThrownBy(() -> SqlText.placeholderOffsets("SELECT 'ends with backslash\\'")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SqlText.placeholderOffsets("SELECT \"x")).hasMessageContaining("quoted identifier");
        assertThatThrownBy(() -> SqlText.placeholderOffsets("SELECT 1 /* ? ")).hasMessageContaining("unterminated /* comment");
    }

    @Test
    void scriptsSplitAtSemicolonsThatAreCode() {
        String script = """
                -- header; with a semicolon
                CREATE TABLE a (x String DEFAULT ';'); /* ; */
                CREATE TABLE b (y Int8)
                ;
                -- trailing comment only;
                """;
        assertThat(SqlText.splitStatements(script)).containsExactly(
                "-- header; with a semicolon\nCREATE TABLE a (x String DEFAULT ';')",
                "/* ; */\nCREATE TABLE b (y Int8)");
    }

    @Test
    void aQueryIsExactlyOneStatement() {
        assertThat(SqlText.singleStatement("  SELECT 1 ;  -- done")).isEqualTo("SELECT 1");
        assertThat(SqlText.singleStatement("SELECT ';'")).isEqualTo("SELECT ';'");
        assertThatThrownBy(() -> SqlText.singleStatement("SELECT 1; DROP TABLE t")).hasMessageContaining("found 2");
        assertThatThrownBy(() -> SqlText.singleStatement(" -- nothing")).hasMessageContaining("found 0");
    }

    @Test
    void boundQueryCountsOnlyRealPlaceholders() {
        assertThat(BoundQuery.of("SELECT '?' AS q, ? AS p", QueryParam.int64(1)).params()).hasSize(1);
        assertThatThrownBy(() -> BoundQuery.of("SELECT ?, ?", QueryParam.int64(1)))
                .hasMessage("SQL has 2 placeholders but 1 parameters");
    }

    @Test
    void queryParamsCarryTheDocumentedJavaTypes() {
        assertThatThrownBy(() -> new QueryParam(ValueType.INT64, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Integer");
        assertThatThrownBy(() -> new QueryParam(ValueType.STRING_ARRAY, List.of("a", 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QueryParam(ValueType.STRING, null)).isInstanceOf(NullPointerException.class);
    }
}
