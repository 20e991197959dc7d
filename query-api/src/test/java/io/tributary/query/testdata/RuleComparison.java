package io.tributary.query.testdata;

/**
 * A rule-language comparison written again for tests, independent of the engine: SQL-style, so a
 * missing value gives UNKNOWN (null), which never makes a customer a member.
 */
public final class RuleComparison {
    private RuleComparison() {
    }

    /** TRUE, FALSE, or null when {@code value} is missing. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Boolean compare(Object value, String op, Comparable literal) {
        if (value == null) {
            return null;
        }
        int c = ((Comparable) value).compareTo(literal);
        return switch (op) {
            case "=" -> c == 0;
            case "!=" -> c != 0;
            case ">" -> c > 0;
            case ">=" -> c >= 0;
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            default -> throw new IllegalArgumentException(op);
        };
    }
}
