package io.tributary.platform.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.platform.fuzz.FuzzInputs;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes the segment rule parser: any text either parses (and its canonical rendering parses to
 * the same rule) or fails with {@link RuleSyntaxException} whose message names a position within
 * the text (1-based, one past the end allowed) and no internals; nothing else is ever thrown.
 */
class SegmentRuleFuzzTest {

    @Property(tries = 3_000)
    void arbitraryTextParsesOrFailsWithAPositionedSyntaxError(@ForAll("anyRuleText") String text) {
        check(text);
    }

    @Property(tries = 3_000)
    void mutatedValidRulesParseOrFailWithAPositionedSyntaxError(@ForAll("mutatedRules") String text) {
        check(text);
    }

    /** Found by mutatedValidRulesParseOrFailWithAPositionedSyntaxError in CI (seed -8218406488728402247): the lexer took '==' and the parser threw IllegalStateException. */
    @net.jqwik.api.Example
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

    @Provide
    Arbitrary<String> anyRuleText() {
        return Arbitraries.oneOf(FuzzInputs.anyText(),
                Arbitraries.strings().withChars("()',.=!<>0123456789-: abcdefghijklmnopqrstuvwxyz_ANDORNTI").ofMaxLength(80),
                Arbitraries.integers().between(1, 400).map(n -> "(".repeat(n) + "total_spent > 1" + ")".repeat(n)),
                Arbitraries.integers().between(1, 400).map(n -> "NOT ".repeat(n) + "total_spent > 1"));
    }

    @Provide
    Arbitrary<String> mutatedRules() {
        return FuzzInputs.mutated(Arbitraries.of(
                "total_spent > 1000 AND session_count > 10",
                "country IN ('US', 'CA') OR NOT (total_spent <= 49.99)",
                "last_seen >= '2024-01-01 00:00:00' AND events.purchase > 2",
                "city NOT IN ('Paris') AND (session_count != 3 OR total_spent <> 0.5)",
                "signup_date < '2023-06-15' AND age >= 18"));
    }
}
