package io.tributary.platform.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.platform.fuzz.FuzzInputs;
import io.tributary.platform.fuzz.Gen;
import io.tributary.platform.fuzz.PropertyRun;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the segment rule parser: any text either parses (and its canonical rendering parses to
 * the same rule) or fails with {@link RuleSyntaxException} whose message names a position within
 * the text (1-based, one past the end allowed) and no internals; nothing else is ever thrown.
 */
class SegmentRuleFuzzTest {

    @Test
    void arbitraryTextParsesOrFailsWithAPositionedSyntaxError() {
        PropertyRun.check(3_000, anyRuleText(), SegmentRuleFuzzTest::check);
    }

    @Test
    void mutatedValidRulesParseOrFailWithAPositionedSyntaxError() {
        PropertyRun.check(3_000, mutatedRules(), SegmentRuleFuzzTest::check);
    }

    /** Found by mutatedValidRulesParseOrFailWithAPositionedSyntaxError in CI (seed -8218406488728402247 of the property runner used then): the lexer took '==' and the parser threw IllegalStateException. */
    @Test
    void doubleEqualsIsASyntaxErrorAtItsPosition() {
        check("last_seen == '2024-01-01 00:00:00' AND events.purchase > 2");
        assertThatThrownBy(() -> SegmentRule.parse("total_spent == 5")).isInstanceOf(RuleSyntaxException.class)
                .hasMessageContaining("'==' is not an operator: compare with '='").hasMessageContaining("at position 13");
    }

    private static void check(String text) {
        SegmentRule rule;
        try {
            rule = SegmentRule.parse(text);
        } catch (RuleSyntaxException e) {
            assertThat(e.position()).as(e.getMessage()).isBetween(1, text.length() + 1);
            assertThat(e.getMessage()).contains("at position " + e.position());
            FuzzInputs.assertCleanMessage(e.getMessage(), text);
            return;
        }
        try {
            assertThat(SegmentRule.parse(rule.render())).isEqualTo(rule);
        } catch (RuleSyntaxException e) {
            throw new AssertionError("the rendering '" + rule.render() + "' of '" + text + "' does not parse: " + e.getMessage());
        }
    }

    private static Function<RandomGenerator, String> anyRuleText() {
        return Gen.oneOf(FuzzInputs.anyText(),
                Gen.strings(Gen.charOf("()',.=!<>0123456789-: abcdefghijklmnopqrstuvwxyz_ANDORNTI"), 0, 80),
                Gen.ints(1, 400).andThen(n -> "(".repeat(n) + "total_spent > 1" + ")".repeat(n)),
                Gen.ints(1, 400).andThen(n -> "NOT ".repeat(n) + "total_spent > 1"));
    }

    private static Function<RandomGenerator, String> mutatedRules() {
        return FuzzInputs.mutated(Gen.elementOf(
                "total_spent > 1000 AND session_count > 10",
                "country IN ('US', 'CA') OR NOT (total_spent <= 49.99)",
                "last_seen >= '2024-01-01 00:00:00' AND events.purchase > 2",
                "city NOT IN ('Paris') AND (session_count != 3 OR total_spent <> 0.5)",
                "signup_date < '2023-06-15' AND age >= 18"));
    }
}
