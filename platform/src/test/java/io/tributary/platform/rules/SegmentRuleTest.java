package io.tributary.platform.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.platform.rules.SegmentRule.And;
import io.tributary.platform.rules.SegmentRule.Comparison;
import io.tributary.platform.rules.SegmentRule.In;
import io.tributary.platform.rules.SegmentRule.Not;
import io.tributary.platform.rules.SegmentRule.NumberLiteral;
import io.tributary.platform.rules.SegmentRule.Operator;
import io.tributary.platform.rules.SegmentRule.Or;
import io.tributary.platform.rules.SegmentRule.StringLiteral;
import io.tributary.platform.rules.SegmentRule.TimeLiteral;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SegmentRuleTest {
    private static final RuleField TOTAL_SPENT = new RuleField("total_spent", RuleField.Type.NUMBER);
    private static final RuleField SESSION_COUNT = new RuleField("session_count", RuleField.Type.NUMBER);
    private static final RuleField CITY = new RuleField("city", RuleField.Type.STRING);

    static SegmentRule parse(String text) {
        try {
            return SegmentRule.parse(text);
        } catch (RuleSyntaxException e) {
            throw new AssertionError("did not parse: " + text + ": " + e.getMessage(), e);
        }
    }

    private static Comparison cmp(RuleField field, Operator op, String number) {
        return new Comparison(field, op, new NumberLiteral(new BigDecimal(number)));
    }

    @Nested
    class Parsing {
        @Test
        void theSeedExample() {
            assertThat(parse("total_spent > 1000 AND session_count > 10"))
                    .isEqualTo(new And(cmp(TOTAL_SPENT, Operator.GT, "1000"), cmp(SESSION_COUNT, Operator.GT, "10")));
        }

        @Test
        void everyOperator() {
            assertThat(parse("total_spent = 1")).isEqualTo(cmp(TOTAL_SPENT, Operator.EQ, "1"));
            assertThat(parse("total_spent != 1")).isEqualTo(cmp(TOTAL_SPENT, Operator.NE, "1"));
            assertThat(parse("total_spent <> 1")).isEqualTo(cmp(TOTAL_SPENT, Operator.NE, "1"));
            assertThat(parse("total_spent < 1")).isEqualTo(cmp(TOTAL_SPENT, Operator.LT, "1"));
            assertThat(parse("total_spent <= 1")).isEqualTo(cmp(TOTAL_SPENT, Operator.LE, "1"));
            assertThat(parse("total_spent > 1")).isEqualTo(cmp(TOTAL_SPENT, Operator.GT, "1"));
            assertThat(parse("total_spent >= 1")).isEqualTo(cmp(TOTAL_SPENT, Operator.GE, "1"));
            assertThat(parse("total_spent>=1")).isEqualTo(cmp(TOTAL_SPENT, Operator.GE, "1"));
        }

        @Test
        void andBindsTighterThanOrAndNotTighterThanAnd() {
            Comparison a = cmp(TOTAL_SPENT, Operator.GT, "1");
            Comparison b = cmp(SESSION_COUNT, Operator.GT, "2");
            Comparison c = cmp(TOTAL_SPENT, Operator.LT, "3");
            assertThat(parse("total_spent > 1 OR session_count > 2 AND total_spent < 3")).isEqualTo(new Or(a, new And(b, c)));
            assertThat(parse("total_spent > 1 AND session_count > 2 OR total_spent < 3")).isEqualTo(new Or(new And(a, b), c));
            assertThat(parse("NOT total_spent > 1 AND session_count > 2")).isEqualTo(new And(new Not(a), b));
            assertThat(parse("NOT (total_spent > 1 AND session_count > 2)")).isEqualTo(new Not(new And(a, b)));
            assertThat(parse("(total_spent > 1 OR session_count > 2) AND total_spent < 3")).isEqualTo(new And(new Or(a, b), c));
            assertThat(parse("NOT NOT total_spent > 1")).isEqualTo(new Not(new Not(a)));
        }

        @Test
        void andAndOrAreLeftAssociative() {
            Comparison a = cmp(TOTAL_SPENT, Operator.GT, "1");
            Comparison b = cmp(SESSION_COUNT, Operator.GT, "2");
            Comparison c = cmp(TOTAL_SPENT, Operator.LT, "3");
            assertThat(parse("total_spent > 1 AND session_count > 2 AND total_spent < 3")).isEqualTo(new And(new And(a, b), c));
            assertThat(parse("total_spent > 1 OR session_count > 2 OR total_spent < 3")).isEqualTo(new Or(new Or(a, b), c));
        }

        @Test
        void keywordsAndFieldNamesAreCaseInsensitive() {
            assertThat(parse("Total_Spent > 1 and NOT city in ('Paris') Or session_count > 2"))
                    .isEqualTo(parse("total_spent > 1 AND NOT city IN ('Paris') OR session_count > 2"));
        }

        @Test
        void literals() {
            assertThat(parse("total_spent >= -12.50")).isEqualTo(cmp(TOTAL_SPENT, Operator.GE, "-12.50"));
            assertThat(parse("total_spent >= .5")).isEqualTo(cmp(TOTAL_SPENT, Operator.GE, "0.5"));
            assertThat(parse("city = 'Paris'")).isEqualTo(new Comparison(CITY, Operator.EQ, new StringLiteral("Paris")));
            assertThat(parse("city = \"Paris\"")).isEqualTo(new Comparison(CITY, Operator.EQ, new StringLiteral("Paris")));
            assertThat(parse("last_name = 'O''Brien'")).isEqualTo(new Comparison(new RuleField("last_name", RuleField.Type.STRING),
                    Operator.EQ, new StringLiteral("O'Brien")));
            assertThat(parse("signup_date >= '2024-01-31'")).isEqualTo(new Comparison(new RuleField("signup_date", RuleField.Type.DATE),
                    Operator.GE, TimeLiteral.ofDate(LocalDate.of(2024, 1, 31))));
            assertThat(parse("last_seen < '2024-01-31 12:30:00'")).isEqualTo(new Comparison(new RuleField("last_seen", RuleField.Type.TIMESTAMP),
                    Operator.LT, new TimeLiteral(LocalDateTime.of(2024, 1, 31, 12, 30), false)));
        }

        @Test
        void inAndNotIn() {
            assertThat(parse("city IN ('Paris', 'Lyon')"))
                    .isEqualTo(new In(CITY, List.of(new StringLiteral("Paris"), new StringLiteral("Lyon")), false));
            assertThat(parse("city NOT IN ('Paris')")).isEqualTo(new In(CITY, List.of(new StringLiteral("Paris")), true));
            assertThat(parse("age in (18,19,20)")).isEqualTo(new In(new RuleField("age", RuleField.Type.NUMBER),
                    List.of(new NumberLiteral(new BigDecimal("18")), new NumberLiteral(new BigDecimal("19")), new NumberLiteral(new BigDecimal("20"))), false));
        }

        @Test
        void eventCountsByType() {
            assertThat(parse("events.purchase >= 3")).isEqualTo(cmp(new RuleField("events.purchase", RuleField.Type.NUMBER), Operator.GE, "3"));
            assertThat(parse("EVENTS.add-to-cart > 0")).isEqualTo(cmp(new RuleField("events.add-to-cart", RuleField.Type.NUMBER), Operator.GT, "0"));
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "total_spent > 1000 AND session_count > 10",
                "total_spent > 1 OR session_count > 2 AND total_spent < 3",
                "(total_spent > 1 OR session_count > 2) AND total_spent < 3",
                "total_spent > 1 AND (session_count > 2 AND total_spent < 3)",
                "total_spent > 1 OR (session_count > 2 OR total_spent < 3)",
                "NOT (total_spent > 1 OR NOT session_count > 2)",
                "NOT NOT city = 'it''s'",
                "city NOT IN ('a', \"b\") AND age IN (1, 2.50, -3)",
                "signup_date >= '2024-01-31' OR last_login < '2024-01-31 23:59:59'",
                "events.page_view >= 10 AND lifetime_value > 99.9900",
                "  ( ( total_spent>1 ) )  ",
        })
        void theCanonicalTextParsesToTheSameTree(String rule) {
            SegmentRule parsed = parse(rule);
            String canonical = parsed.render();
            assertThat(parse(canonical)).isEqualTo(parsed);
            assertThat(parsed.toString()).isEqualTo(canonical);
            assertThat(parse(canonical).render()).isEqualTo(canonical);
        }

        @Test
        void canonicalTextExamples() {
            assertThat(parse("  ( ( total_spent>1 ) )  ").render()).isEqualTo("total_spent > 1");
            assertThat(parse("(a_x) ".replace("a_x", "total_spent>1 or session_count<2") + "and city in ('x','y')").render())
                    .isEqualTo("(total_spent > 1 OR session_count < 2) AND city IN ('x', 'y')");
            assertThat(parse("last_seen >= \"2024-01-01\"").render()).isEqualTo("last_seen >= '2024-01-01'");
        }
    }

    @Nested
    class Errors {
        private RuleSyntaxException error(String rule) {
            try {
                SegmentRule.parse(rule);
            } catch (RuleSyntaxException e) {
                return e;
            }
            throw new AssertionError("parsed, but should not have: " + rule);
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @CsvSource(delimiter = '|', textBlock = """
                total_spent > 1000 AND session_count 10 | 38 | expected a comparison operator at position 38, found '10'
                total_spent 1000                        | 13 | expected a comparison operator at position 13
                total_spent >                           | 14 | expected a number for total_spent at position 14, found the end of the rule
                total_spent > 'a lot'                   | 15 | expected a number for total_spent at position 15
                city = Paris                            | 8  | expected a string for city (strings are quoted) at position 8
                city = 'Paris                           | 8  | unterminated string starting at position 8
                signup_date > '2024-13-01'              | 15 | expected a date for signup_date ('YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS') at position 15
                (total_spent > 1                        | 17 | expected ')' at position 17, found the end of the rule
                total_spent > 1)                        | 16 | unbalanced ')' at position 16
                total_spent > 1 session_count > 2       | 17 | expected AND, OR or the end of the rule at position 17
                total_spent > 1 AND                     | 20 | expected a field name or '(' at position 20
                ''                                      | 1  | expected a field name or '(' at position 1
                total_spent > 1 AND AND x = 1           | 21 | expected a field name or '(' at position 21, found 'AND'
                city NOT ('a')                          | 10 | expected IN after NOT at position 10
                city IN 'a'                             | 9  | expected '(' after IN at position 9
                city IN ('a' 'b')                       | 14 | expected ',' or ')' at position 14
                city IN ()                              | 10 | expected a string for city (strings are quoted) at position 10
                total_spent ! 3                         | 13 | expected '!=' at position 13
                total_spent > 3 # x                     | 17 | unexpected character '#' at position 17
                total_spent > 12abc                     | 15 | malformed number at position 15
                spent > 3                               | 1  | unknown field 'spent' at position 1
                events. > 3                             | 1  | unknown field 'events.' at position 1
                """)
        void errorsSayWhatWasExpectedAndWhere(String rule, int position, String message) {
            RuleSyntaxException e = error(rule);
            assertThat(e.position()).isEqualTo(position);
            assertThat(e.getMessage()).startsWith(message);
        }

        @Test
        void anUnknownFieldListsTheKnownOnes() {
            assertThat(error("total_spent > 1 AND sessions > 10").getMessage())
                    .startsWith("unknown field 'sessions' at position 21 (known fields: event_count, purchase_count")
                    .contains("session_count", "customer_segment", "events.<event_type>");
        }

        @Test
        void positionsCountCharactersFromOne() {
            assertThat(error("total_spent > 1 AND session_count 10").position()).isEqualTo(35);
            assertThat(error("total_spent > 1 AND session_count 10").reason()).isEqualTo("expected a comparison operator");
        }

        @Test
        void absurdNestingIsRefusedNotAStackOverflow() {
            assertThat(error("(".repeat(5000) + "total_spent > 1" + ")".repeat(5000)).getMessage()).contains("nests more than");
            assertThat(error("NOT ".repeat(5000) + "total_spent > 1").getMessage()).contains("nests more than");
        }
    }

    @Nested
    class Evaluation {
        private final Map<String, Object> values = new HashMap<>();
        private final RuleFacts facts = field -> values.get(field.name());

        private Truth eval(String rule) {
            return parse(rule).evaluate(facts);
        }

        @Test
        void comparisonsOfNumbersStringsAndTimes() {
            values.put("total_spent", new BigDecimal("1000.0000"));
            values.put("session_count", 11L);
            values.put("city", "Paris");
            values.put("signup_date", Instant.parse("2024-01-31T00:00:00Z"));
            values.put("last_seen", Instant.parse("2024-02-01T10:00:00Z"));
            assertThat(eval("total_spent > 1000")).isEqualTo(Truth.FALSE);
            assertThat(eval("total_spent >= 1000")).isEqualTo(Truth.TRUE);
            assertThat(eval("total_spent = 1000.00")).isEqualTo(Truth.TRUE);
            assertThat(eval("total_spent > 1000 AND session_count > 10")).isEqualTo(Truth.FALSE);
            assertThat(eval("total_spent >= 1000 AND session_count > 10")).isEqualTo(Truth.TRUE);
            assertThat(eval("city = 'Paris'")).isEqualTo(Truth.TRUE);
            assertThat(eval("city = 'paris'")).isEqualTo(Truth.FALSE);
            assertThat(eval("city != 'Lyon'")).isEqualTo(Truth.TRUE);
            assertThat(eval("city IN ('Lyon', 'Paris')")).isEqualTo(Truth.TRUE);
            assertThat(eval("city NOT IN ('Lyon', 'Paris')")).isEqualTo(Truth.FALSE);
            assertThat(eval("signup_date = '2024-01-31'")).isEqualTo(Truth.TRUE);
            assertThat(eval("signup_date < '2024-01-31 00:00:01'")).isEqualTo(Truth.TRUE);
            assertThat(eval("last_seen > '2024-02-01'")).isEqualTo(Truth.TRUE);
            assertThat(eval("last_seen > '2024-02-01 10:00:00'")).isEqualTo(Truth.FALSE);
        }

        @Test
        void aMissingValueMakesAComparisonUnknownAndUnknownNeverSelects() {
            values.put("total_spent", new BigDecimal("5"));
            assertThat(eval("age > 30")).isEqualTo(Truth.UNKNOWN);
            assertThat(eval("NOT age > 30")).isEqualTo(Truth.UNKNOWN);
            assertThat(eval("age IN (30)")).isEqualTo(Truth.UNKNOWN);
            assertThat(eval("age NOT IN (30)")).isEqualTo(Truth.UNKNOWN);
            assertThat(eval("age > 30 OR total_spent > 1")).isEqualTo(Truth.TRUE);
            assertThat(eval("age > 30 OR total_spent > 10")).isEqualTo(Truth.UNKNOWN);
            assertThat(eval("age > 30 AND total_spent > 10")).isEqualTo(Truth.FALSE);
            assertThat(eval("age > 30 AND total_spent > 1")).isEqualTo(Truth.UNKNOWN);
        }

        @ParameterizedTest(name = "{0} AND {1} = {2}, {0} OR {1} = {3}")
        @CsvSource({
                "TRUE, TRUE, TRUE, TRUE", "TRUE, FALSE, FALSE, TRUE", "TRUE, UNKNOWN, UNKNOWN, TRUE",
                "FALSE, TRUE, FALSE, TRUE", "FALSE, FALSE, FALSE, FALSE", "FALSE, UNKNOWN, FALSE, UNKNOWN",
                "UNKNOWN, TRUE, UNKNOWN, TRUE", "UNKNOWN, FALSE, FALSE, UNKNOWN", "UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN",
        })
        void truthTables(Truth a, Truth b, Truth and, Truth or) {
            assertThat(a.and(b)).isEqualTo(and);
            assertThat(a.or(b)).isEqualTo(or);
            // and through the rule tree: a is "x = 1", b is "y = 1" with values chosen to give each truth value
            values.put("age", value(a));
            values.put("session_count", value(b));
            assertThat(eval("age = 1 AND session_count = 1")).isEqualTo(and);
            assertThat(eval("age = 1 OR session_count = 1")).isEqualTo(or);
            assertThat(eval("NOT age = 1")).isEqualTo(a.not());
        }

        private static Object value(Truth t) {
            return switch (t) {
                case TRUE -> 1L;
                case FALSE -> 2L;
                case UNKNOWN -> null;
            };
        }

        @Test
        void notSwapsTrueAndFalseAndKeepsUnknown() {
            assertThat(Truth.TRUE.not()).isEqualTo(Truth.FALSE);
            assertThat(Truth.FALSE.not()).isEqualTo(Truth.TRUE);
            assertThat(Truth.UNKNOWN.not()).isEqualTo(Truth.UNKNOWN);
        }
    }
}
