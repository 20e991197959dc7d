package io.tributary.platform.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.platform.store.BoundQuery;
import io.tributary.platform.store.QueryParam;
import io.tributary.platform.store.SqlText;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The literal renderer is the only barrier against injection on ClickHouse 18.16 (no server-side
 * parameters), so it is pinned here exactly, plus checked against a reference decoder of ClickHouse's
 * quoted-string rules; ClickHouseStoreIT sends the same literals to the real server.
 */
class ClickHouseLiteralsTest {

    @Test
    void stringsEscapeBackslashQuoteAndControlCharacters() {
        assertThat(ClickHouseLiterals.string("plain")).isEqualTo("'plain'");
        assertThat(ClickHouseLiterals.string("")).isEqualTo("''");
        assertThat(ClickHouseLiterals.string("it's")).isEqualTo("'it\\'s'");
        assertThat(ClickHouseLiterals.string("a\\b")).isEqualTo("'a\\\\b'");
        assertThat(ClickHouseLiterals.string("ends\\")).isEqualTo("'ends\\\\'");
        assertThat(ClickHouseLiterals.string("\\'")).isEqualTo("'\\\\\\''");
        assertThat(ClickHouseLiterals.string("n\nr\rt\tz\0")).isEqualTo("'n\\nr\\rt\\tz\\0'");
        assertThat(ClickHouseLiterals.string("\"double\" `tick` ?;-- /*")).isEqualTo("'\"double\" `tick` ?;-- /*'");
        assertThat(ClickHouseLiterals.string("Zoë 😀 日本")).isEqualTo("'Zoë 😀 日本'");
    }

    @Test
    void unpairedSurrogatesAreRejectedNotReplaced() {
        assertThatThrownBy(() -> ClickHouseLiterals.string("a\uD83D")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unpaired UTF-16 surrogate at index 1");
        assertThatThrownBy(() -> ClickHouseLiterals.string("\uDE00b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClickHouseLiterals.string("\uD83Dx")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomStringsDecodeBackToThemselvesUnderClickHouseRules() {
        Random random = new Random(42);
        char[] alphabet = "'\\\"?;-/*`\n\r\t\0 aZ9%_é日".toCharArray();
        for (int n = 0; n < 10_000; n++) {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(16);
            for (int k = 0; k < length; k++) {
                s.append(random.nextInt(10) == 0 ? "😀" : String.valueOf(alphabet[random.nextInt(alphabet.length)]));
            }
            String value = s.toString();
            String literal = ClickHouseLiterals.string(value);
            assertThat(decodeClickHouseString(literal)).as("literal %s", literal).isEqualTo(value);
            // the value never leaks into the code of the statement around it
            String rendered = ClickHouseLiterals.render(BoundQuery.of("SELECT x FROM t WHERE a = ? AND b = 1", QueryParam.string(value)));
            assertThat(SqlText.placeholderOffsets(rendered)).isEmpty();
            assertThat(SqlText.splitStatements(rendered)).hasSize(1);
            assertThat(rendered).startsWith("SELECT x FROM t WHERE a = ").endsWith(" AND b = 1");
        }
    }

    @Test
    void injectionStringsStayInsideOneLiteral() {
        for (String injection : List.of("x' OR '1'='1", "'; DROP TABLE customer_events; --", "\\' OR 1=1 --", "\\\\'; SELECT 1; --")) {
            String rendered = ClickHouseLiterals.render(BoundQuery.of("SELECT count() FROM e WHERE ua = ? AND ws = ?",
                    QueryParam.string(injection), QueryParam.string("w")));
            String literal = ClickHouseLiterals.string(injection);
            assertThat(rendered).isEqualTo("SELECT count() FROM e WHERE ua = " + literal + " AND ws = 'w'");
            assertThat(decodeClickHouseString(literal)).isEqualTo(injection);
            assertThat(SqlText.splitStatements(rendered)).hasSize(1);
        }
    }

    @Test
    void onlyPlaceholdersThatAreCodeAreReplaced() {
        String rendered = ClickHouseLiterals.render(BoundQuery.of(
                "SELECT '?' AS a, ? AS b /* ? */ -- ?\n, \"c?\" FROM t WHERE x = ?", QueryParam.string("B"), QueryParam.int64(7)));
        assertThat(rendered).isEqualTo("SELECT '?' AS a, 'B' AS b /* ? */ -- ?\n, \"c?\" FROM t WHERE x = toInt64(7)");
    }

    @Test
    void numbersAreTypedFunctionCallsSoANegativeCannotFormAComment() {
        assertThat(ClickHouseLiterals.render(BoundQuery.of("SELECT 1-?", QueryParam.int64(-5)))).isEqualTo("SELECT 1-toInt64(-5)");
        assertThat(ClickHouseLiterals.literal(QueryParam.int32(Integer.MIN_VALUE))).isEqualTo("toInt32(-2147483648)");
        assertThat(ClickHouseLiterals.literal(QueryParam.int64(Long.MIN_VALUE))).isEqualTo("toInt64(-9223372036854775808)");
        assertThat(ClickHouseLiterals.literal(QueryParam.float64(0.1))).isEqualTo("toFloat64(0.1)");
        assertThat(ClickHouseLiterals.literal(QueryParam.float64(-2.5e10))).isEqualTo("toFloat64(-2.5E10)");
        assertThat(ClickHouseLiterals.literal(QueryParam.float64(Double.NaN))).isEqualTo("toFloat64(nan)");
        assertThat(ClickHouseLiterals.literal(QueryParam.float64(Double.NEGATIVE_INFINITY))).isEqualTo("toFloat64(-inf)");
        assertThat(ClickHouseLiterals.literal(QueryParam.float64(Double.MIN_NORMAL))).isEqualTo("toFloat64(2.2250738585072014E-308)");
        assertThatThrownBy(() -> ClickHouseLiterals.literal(QueryParam.float64(Double.MIN_VALUE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subnormal");
        assertThat(ClickHouseLiterals.literal(QueryParam.bool(true))).isEqualTo("toUInt8(1)");
        assertThat(ClickHouseLiterals.literal(QueryParam.bool(false))).isEqualTo("toUInt8(0)");
    }

    @Test
    void decimalsKeepTheirExactTextAndScale() {
        assertThat(ClickHouseLiterals.literal(QueryParam.decimal(new BigDecimal("49.99")))).isEqualTo("toDecimal64('49.99', 2)");
        assertThat(ClickHouseLiterals.literal(QueryParam.decimal(new BigDecimal("-0.0001")))).isEqualTo("toDecimal64('-0.0001', 4)");
        assertThat(ClickHouseLiterals.literal(QueryParam.decimal(new BigDecimal("1E+3")))).isEqualTo("toDecimal64('1000', 0)");
        assertThat(ClickHouseLiterals.literal(QueryParam.decimal(new BigDecimal("1234567890123456789.5"))))
                .isEqualTo("toDecimal128('1234567890123456789.5', 1)");
        assertThatThrownBy(() -> ClickHouseLiterals.literal(QueryParam.decimal(new BigDecimal("1" + "0".repeat(38)))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timestampsAndDatesAreUtcAndRangeChecked() {
        assertThat(ClickHouseLiterals.literal(QueryParam.timestamp(Instant.parse("2023-06-15T14:30:45.999Z"))))
                .isEqualTo("toDateTime('2023-06-15 14:30:45', 'UTC')");
        assertThat(ClickHouseLiterals.literal(QueryParam.timestamp(Instant.EPOCH))).isEqualTo("toDateTime('1970-01-01 00:00:00', 'UTC')");
        assertThatThrownBy(() -> ClickHouseLiterals.literal(QueryParam.timestamp(Instant.parse("1969-12-31T23:59:59Z"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClickHouseLiterals.literal(QueryParam.timestamp(Instant.parse("2106-01-01T00:00:00Z"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ClickHouseLiterals.literal(QueryParam.date(LocalDate.of(2023, 1, 2)))).isEqualTo("toDate('2023-01-02')");
        assertThatThrownBy(() -> ClickHouseLiterals.literal(QueryParam.date(LocalDate.of(2149, 1, 1))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void arraysAreListsOfElementLiteralsAndEmptyArraysKeepTheirType() {
        assertThat(ClickHouseLiterals.literal(QueryParam.stringArray(List.of("a", "it's", "?"))))
                .isEqualTo("['a', 'it\\'s', '?']");
        assertThat(ClickHouseLiterals.literal(QueryParam.stringArray(List.of()))).isEqualTo("emptyArrayString()");
        assertThat(ClickHouseLiterals.literal(QueryParam.int64Array(List.of(1L, -2L)))).isEqualTo("[toInt64(1), toInt64(-2)]");
        assertThat(ClickHouseLiterals.literal(QueryParam.int64Array(List.of()))).isEqualTo("emptyArrayInt64()");
    }

    /**
     * A reference decoder of a ClickHouse single-quoted string literal (the escapes of ClickHouse's
     * readQuotedString: backslash sequences and a doubled quote). Fails on an unescaped quote inside.
     */
    static String decodeClickHouseString(String literal) {
        assertThat(literal).startsWith("'").endsWith("'").hasSizeGreaterThanOrEqualTo(2);
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < literal.length() - 1; i++) {
            char c = literal.charAt(i);
            if (c == '\\') {
                char e = literal.charAt(++i);
                out.append(switch (e) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    case '0' -> '\0';
                    default -> e;
                });
            } else if (c == '\'') {
                throw new AssertionError("unescaped quote at " + i + " in " + literal);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Test
    void limitAndOffsetPlaceholdersAreBareNumbersBecause1816AcceptsNothingElseThere() {
        assertThat(ClickHouseLiterals.render(BoundQuery.of("SELECT x FROM t WHERE y = ? LIMIT ? OFFSET ?",
                QueryParam.int64(3), QueryParam.int64(101), QueryParam.int32(20))))
                .isEqualTo("SELECT x FROM t WHERE y = toInt64(3) LIMIT 101 OFFSET 20");
        assertThat(ClickHouseLiterals.render(BoundQuery.of("SELECT x AS my_limit FROM t WHERE my_limit = ? limit\n  ?",
                QueryParam.int64(1), QueryParam.int64(5))))
                .isEqualTo("SELECT x AS my_limit FROM t WHERE my_limit = toInt64(1) limit\n  5");
        assertThatThrownBy(() -> ClickHouseLiterals.render(BoundQuery.of("SELECT 1 LIMIT ?", QueryParam.int64(-1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-negative");
        assertThatThrownBy(() -> ClickHouseLiterals.render(BoundQuery.of("SELECT 1 LIMIT ?", QueryParam.string("5"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
