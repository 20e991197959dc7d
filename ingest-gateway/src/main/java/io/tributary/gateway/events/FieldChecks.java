package io.tributary.gateway.events;

import io.tributary.platform.rules.RuleSyntaxException;
import io.tributary.platform.rules.SegmentRule;
import io.tributary.schemas.Datasource;
import io.tributary.schemas.Datasources;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Datasource-specific checks of a field's value, run by {@link RowConverter} after the value had
 * the right type: what a schema cannot say (e.g. that a segment's rule parses). A failed check
 * quarantines the row with the field and the check's reason, like any other invalid value. To
 * add one, add an entry to {@link #BY_DATASOURCE}.
 */
record FieldChecks(String field, Function<Object, String> problem) {
    FieldChecks {
        Objects.requireNonNull(field);
        Objects.requireNonNull(problem);
    }

    private static final Map<String, List<FieldChecks>> BY_DATASOURCE = Map.of(
            Datasources.CUSTOMER_SEGMENTS.name(), List.of(new FieldChecks("segment_rules", FieldChecks::segmentRuleProblem)));

    /** The checks of {@code datasource}'s fields (none for most datasources). */
    static List<FieldChecks> of(Datasource datasource) {
        List<FieldChecks> checks = BY_DATASOURCE.getOrDefault(datasource.name(), List.of());
        for (FieldChecks check : checks) {
            if (datasource.schema().getField(check.field()) == null) {
                throw new IllegalArgumentException("datasource " + datasource.name() + " has no field " + check.field() + " to check");
            }
        }
        return checks;
    }

    /** Why {@code value} (non-null) is refused, or {@code null} when it passes. */
    String check(Object value) {
        return problem.apply(value);
    }

    /** A segment rule must parse: the reason carries the parser's message with the 1-based position. */
    private static String segmentRuleProblem(Object rule) {
        try {
            SegmentRule.parse(rule.toString());
            return null;
        } catch (RuleSyntaxException e) {
            return "rule does not parse: " + e.getMessage();
        }
    }
}
