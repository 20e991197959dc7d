package io.tributary.platform.rules;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A segment rule, e.g. {@code total_spent > 1000 AND session_count > 10}: an immutable tree of
 * comparisons of a customer's {@link RuleField fields} with literals, joined by AND, OR, NOT and
 * parentheses. {@link #parse} builds it; {@link #render()} (also {@code toString()}) writes the
 * canonical text, which parses back to an equal tree.
 *
 * <pre>
 * rule       := or
 * or         := and ( OR and )*
 * and        := unary ( AND unary )*
 * unary      := NOT unary | primary
 * primary    := '(' or ')' | field op literal | field [NOT] IN '(' literal ( ',' literal )* ')'
 * op         := = | != | &lt;&gt; | &lt; | &lt;= | &gt; | &gt;=
 * literal    := number | 'string' | "string"     (quotes inside are doubled: 'O''Brien')
 * </pre>
 * Keywords and field names are case-insensitive. Literals must suit the field: numbers for
 * numeric fields, strings for string fields, {@code 'YYYY-MM-DD'} or {@code 'YYYY-MM-DD HH:MM:SS'}
 * (UTC) for date and timestamp fields. Evaluation uses three-valued logic: a comparison with a
 * missing value is UNKNOWN, NOT UNKNOWN is UNKNOWN, and a customer matches only when the rule is TRUE.
 */
public sealed interface SegmentRule {

    /** Parses {@code text}; the error says what was expected and at which 1-based position. */
    static SegmentRule parse(String text) throws RuleSyntaxException {
        return new RuleParser(text).parse();
    }

    Truth evaluate(RuleFacts facts);

    /** The canonical text: keywords upper-case, single spaces, parentheses only where needed. */
    default String render() {
        return render(0);
    }

    /** The canonical text, in parentheses when it binds less strongly than {@code parentPrecedence}. */
    default String render(int parentPrecedence) {
        String text = text();
        return precedence() < parentPrecedence ? "(" + text + ")" : text;
    }

    /** The canonical text without enclosing parentheses. */
    String text();

    /** Binding strength, for parenthesising: OR 1, AND 2, NOT 3, comparisons 4. */
    int precedence();

    record Or(SegmentRule left, SegmentRule right) implements SegmentRule {
        public Or {
            Objects.requireNonNull(left);
            Objects.requireNonNull(right);
        }

        @Override
        public Truth evaluate(RuleFacts facts) {
            Truth l = left.evaluate(facts);
            return l == Truth.TRUE ? l : l.or(right.evaluate(facts));
        }

        @Override
        public String text() {
            return left.render(1) + " OR " + right.render(2);
        }

        @Override
        public int precedence() {
            return 1;
        }

        @Override
        public String toString() {
            return render();
        }
    }

    record And(SegmentRule left, SegmentRule right) implements SegmentRule {
        public And {
            Objects.requireNonNull(left);
            Objects.requireNonNull(right);
        }

        @Override
        public Truth evaluate(RuleFacts facts) {
            Truth l = left.evaluate(facts);
            return l == Truth.FALSE ? l : l.and(right.evaluate(facts));
        }

        @Override
        public String text() {
            return left.render(2) + " AND " + right.render(3);
        }

        @Override
        public int precedence() {
            return 2;
        }

        @Override
        public String toString() {
            return render();
        }
    }

    record Not(SegmentRule operand) implements SegmentRule {
        public Not {
            Objects.requireNonNull(operand);
        }

        @Override
        public Truth evaluate(RuleFacts facts) {
            return operand.evaluate(facts).not();
        }

        @Override
        public String text() {
            return "NOT " + operand.render(3);
        }

        @Override
        public int precedence() {
            return 3;
        }

        @Override
        public String toString() {
            return render();
        }
    }

    /** {@code field op literal}. */
    record Comparison(RuleField field, Operator operator, Literal literal) implements SegmentRule {
        public Comparison {
            Objects.requireNonNull(field);
            Objects.requireNonNull(operator);
            Objects.requireNonNull(literal);
        }

        @Override
        public Truth evaluate(RuleFacts facts) {
            Object value = facts.value(field);
            if (value == null) {
                return Truth.UNKNOWN;
            }
            return Truth.of(operator.holds(literal.compareWith(value)));
        }

        @Override
        public String text() {
            return field.name() + " " + operator.symbol() + " " + literal.render();
        }

        @Override
        public int precedence() {
            return 4;
        }

        @Override
        public String toString() {
            return render();
        }
    }

    /** {@code field IN (literals)}, or {@code field NOT IN (literals)} when {@code negated}. */
    record In(RuleField field, List<Literal> literals, boolean negated) implements SegmentRule {
        public In {
            Objects.requireNonNull(field);
            literals = List.copyOf(literals);
            if (literals.isEmpty()) {
                throw new IllegalArgumentException("IN needs at least one literal");
            }
        }

        @Override
        public Truth evaluate(RuleFacts facts) {
            Object value = facts.value(field);
            if (value == null) {
                return Truth.UNKNOWN;
            }
            boolean found = literals.stream().anyMatch(l -> l.compareWith(value) == 0);
            return Truth.of(found != negated);
        }

        @Override
        public String text() {
            return field.name() + (negated ? " NOT IN (" : " IN (")
                    + literals.stream().map(Literal::render).collect(Collectors.joining(", ")) + ")";
        }

        @Override
        public int precedence() {
            return 4;
        }

        @Override
        public String toString() {
            return render();
        }
    }

    enum Operator {
        EQ("="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        /** Whether {@code value op literal} holds, given {@code value.compareTo(literal)}. */
        boolean holds(int valueComparedToLiteral) {
            int c = valueComparedToLiteral;
            return switch (this) {
                case EQ -> c == 0;
                case NE -> c != 0;
                case LT -> c < 0;
                case LE -> c <= 0;
                case GT -> c > 0;
                case GE -> c >= 0;
            };
        }
    }

    /** A constant of a rule; the parser only builds literals that suit the field they are compared with. */
    sealed interface Literal {
        /** Sign of {@code value - this}; {@code value} is of the type the field's {@link RuleFacts} gives. */
        int compareWith(Object value);

        String render();
    }

    record NumberLiteral(BigDecimal value) implements Literal {
        public NumberLiteral {
            Objects.requireNonNull(value);
        }

        @Override
        public int compareWith(Object fieldValue) {
            BigDecimal v = fieldValue instanceof BigDecimal d ? d
                    : fieldValue instanceof Long || fieldValue instanceof Integer ? BigDecimal.valueOf(((Number) fieldValue).longValue())
                    : new BigDecimal(fieldValue.toString());
            return Integer.signum(v.compareTo(value));
        }

        @Override
        public String render() {
            return value.toPlainString();
        }
    }

    record StringLiteral(String value) implements Literal {
        public StringLiteral {
            Objects.requireNonNull(value);
        }

        @Override
        public int compareWith(Object fieldValue) {
            return Integer.signum(fieldValue.toString().compareTo(value));
        }

        @Override
        public String render() {
            return "'" + value.replace("'", "''") + "'";
        }
    }

    /** A date ({@code dateOnly}, midnight) or timestamp, in UTC. */
    record TimeLiteral(LocalDateTime value, boolean dateOnly) implements Literal {
        static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

        public TimeLiteral {
            Objects.requireNonNull(value);
            if (dateOnly && !value.toLocalTime().equals(java.time.LocalTime.MIDNIGHT)) {
                throw new IllegalArgumentException("a date literal is midnight");
            }
        }

        public static TimeLiteral ofDate(LocalDate date) {
            return new TimeLiteral(date.atStartOfDay(), true);
        }

        public Instant instant() {
            return value.toInstant(ZoneOffset.UTC);
        }

        @Override
        public int compareWith(Object fieldValue) {
            Instant v = fieldValue instanceof LocalDate d ? d.atStartOfDay().toInstant(ZoneOffset.UTC) : (Instant) fieldValue;
            return Integer.signum(v.compareTo(instant()));
        }

        @Override
        public String render() {
            return "'" + (dateOnly ? value.toLocalDate().toString() : TIMESTAMP.format(value)) + "'";
        }
    }
}
