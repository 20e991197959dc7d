package io.tributary.platform.rules;

import io.tributary.platform.rules.SegmentRule.Literal;
import io.tributary.platform.rules.SegmentRule.Operator;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Recursive-descent parser of {@link SegmentRule}'s grammar over a small hand-written lexer. */
final class RuleParser {
    private enum Kind { IDENT, NUMBER, STRING, OPERATOR, LPAREN, RPAREN, COMMA, END }

    /** A token; {@code position} is 1-based. */
    private record Token(Kind kind, String text, int position) {
        boolean isKeyword(String keyword) {
            return kind == Kind.IDENT && text.equalsIgnoreCase(keyword);
        }

        String describe() {
            return switch (kind) {
                case END -> "the end of the rule";
                case STRING -> "a string";
                default -> "'" + text + "'";
            };
        }
    }

    private static final int MAX_DEPTH = 100;

    private final String text;
    private final List<Token> tokens;
    private int next;
    private int depth;

    RuleParser(String text) throws RuleSyntaxException {
        this.text = text == null ? "" : text;
        this.tokens = lex(this.text);
    }

    SegmentRule parse() throws RuleSyntaxException {
        SegmentRule rule = or();
        Token t = peek();
        if (t.kind() != Kind.END) {
            throw error(t.kind() == Kind.RPAREN ? "unbalanced ')'" : "expected AND, OR or the end of the rule", t);
        }
        return rule;
    }

    private SegmentRule or() throws RuleSyntaxException {
        SegmentRule left = and();
        while (peek().isKeyword("OR")) {
            next++;
            left = new SegmentRule.Or(left, and());
        }
        return left;
    }

    private SegmentRule and() throws RuleSyntaxException {
        SegmentRule left = unary();
        while (peek().isKeyword("AND")) {
            next++;
            left = new SegmentRule.And(left, unary());
        }
        return left;
    }

    private SegmentRule unary() throws RuleSyntaxException {
        if (++depth > MAX_DEPTH) {
            throw error("the rule nests more than " + MAX_DEPTH + " levels deep", peek());
        }
        try {
            if (peek().isKeyword("NOT")) {
                next++;
                return new SegmentRule.Not(unary());
            }
            return primary();
        } finally {
            depth--;
        }
    }

    private SegmentRule primary() throws RuleSyntaxException {
        Token t = take();
        if (t.kind() == Kind.LPAREN) {
            SegmentRule inner = or();
            expect(Kind.RPAREN, "expected ')'");
            return inner;
        }
        if (t.kind() != Kind.IDENT || isReserved(t)) {
            throw error("expected a field name or '('", t);
        }
        RuleField field = RuleField.named(t.text()).orElseThrow(() -> new RuleSyntaxException(
                "unknown field '" + t.text() + "'", t.position(),
                " (known fields: " + String.join(", ", RuleField.KNOWN.keySet()) + ", " + RuleField.EVENTS_PREFIX + "<event_type>)"));
        Token op = take();
        if (op.kind() == Kind.OPERATOR) {
            return new SegmentRule.Comparison(field, operator(op), literal(field));
        }
        boolean negated = op.isKeyword("NOT");
        Token in = negated ? take() : op;
        if (!in.isKeyword("IN")) {
            throw error(negated ? "expected IN after NOT" : "expected a comparison operator", in);
        }
        expect(Kind.LPAREN, "expected '(' after IN");
        List<Literal> literals = new ArrayList<>();
        do {
            literals.add(literal(field));
        } while (takeIf(Kind.COMMA));
        expect(Kind.RPAREN, "expected ',' or ')'");
        return new SegmentRule.In(field, literals, negated);
    }

    private Literal literal(RuleField field) throws RuleSyntaxException {
        Token t = take();
        String wanted = "expected " + field.type().description + " for " + field.name();
        switch (field.type()) {
            case NUMBER -> {
                if (t.kind() != Kind.NUMBER) {
                    throw error(wanted, t);
                }
                return new SegmentRule.NumberLiteral(new BigDecimal(t.text()));
            }
            case STRING -> {
                if (t.kind() != Kind.STRING) {
                    throw error(wanted + " (strings are quoted)", t);
                }
                return new SegmentRule.StringLiteral(t.text());
            }
            default -> {
                if (t.kind() != Kind.STRING) {
                    throw error(wanted + " ('YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS')", t);
                }
                return time(t, wanted);
            }
        }
    }

    private SegmentRule.TimeLiteral time(Token t, String wanted) throws RuleSyntaxException {
        String s = t.text().trim();
        try {
            if (s.length() == 10) {
                return SegmentRule.TimeLiteral.ofDate(LocalDate.parse(s));
            }
            return new SegmentRule.TimeLiteral(LocalDateTime.parse(s, SegmentRule.TimeLiteral.TIMESTAMP), false);
        } catch (DateTimeParseException e) {
            throw new RuleSyntaxException(wanted + " ('YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS')", t.position(), ", found '" + t.text() + "'");
        }
    }

    private static Operator operator(Token op) {
        return switch (op.text()) {
            case "=" -> Operator.EQ;
            case "!=", "<>" -> Operator.NE;
            case "<" -> Operator.LT;
            case "<=" -> Operator.LE;
            case ">" -> Operator.GT;
            case ">=" -> Operator.GE;
            default -> throw new IllegalStateException("lexer produced operator " + op.text());
        };
    }

    private static boolean isReserved(Token t) {
        return t.isKeyword("AND") || t.isKeyword("OR") || t.isKeyword("NOT") || t.isKeyword("IN");
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token take() {
        Token t = tokens.get(next);
        if (t.kind() != Kind.END) {
            next++;
        }
        return t;
    }

    private boolean takeIf(Kind kind) {
        if (peek().kind() == kind) {
            next++;
            return true;
        }
        return false;
    }

    private void expect(Kind kind, String reason) throws RuleSyntaxException {
        Token t = take();
        if (t.kind() != kind) {
            throw error(reason, t);
        }
    }

    private static RuleSyntaxException error(String reason, Token found) {
        return new RuleSyntaxException(reason, found.position(), ", found " + found.describe());
    }

    private static List<Token> lex(String text) throws RuleSyntaxException {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            int start = i;
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')' || c == ',') {
                tokens.add(new Token(c == '(' ? Kind.LPAREN : c == ')' ? Kind.RPAREN : Kind.COMMA, String.valueOf(c), start + 1));
                i++;
            } else if (c == '=' || c == '<' || c == '>' || c == '!') {
                i++;
                if (i < n && (text.charAt(i) == '=' || (c == '<' && text.charAt(i) == '>'))) {
                    i++;
                }
                String op = text.substring(start, i);
                if (op.equals("!")) {
                    throw new RuleSyntaxException("expected '!='", start + 1, null);
                }
                if (op.equals("==")) {
                    throw new RuleSyntaxException("'==' is not an operator: compare with '='", start + 1, null);
                }
                tokens.add(new Token(Kind.OPERATOR, op, start + 1));
            } else if (c == '\'' || c == '"') {
                StringBuilder value = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw new RuleSyntaxException("unterminated string starting", start + 1, null);
                    }
                    char d = text.charAt(i++);
                    if (d == c) {
                        if (i < n && text.charAt(i) == c) {
                            value.append(c); // doubled quote
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        value.append(d);
                    }
                }
                tokens.add(new Token(Kind.STRING, value.toString(), start + 1));
            } else if (Character.isDigit(c) || ((c == '-' || c == '+') && i + 1 < n && (Character.isDigit(text.charAt(i + 1)) || text.charAt(i + 1) == '.'))
                    || (c == '.' && i + 1 < n && Character.isDigit(text.charAt(i + 1)))) {
                i++;
                while (i < n && Character.isDigit(text.charAt(i))) {
                    i++;
                }
                if (i < n && text.charAt(i) == '.') {
                    i++;
                    while (i < n && Character.isDigit(text.charAt(i))) {
                        i++;
                    }
                }
                String number = text.substring(start, i);
                if (i < n && isIdentifierPart(text.charAt(i))) {
                    throw new RuleSyntaxException("malformed number", start + 1, ", found '" + number + text.charAt(i) + "'");
                }
                try {
                    new BigDecimal(number);
                } catch (NumberFormatException e) {
                    throw new RuleSyntaxException("malformed number", start + 1, ", found '" + number + "'");
                }
                tokens.add(new Token(Kind.NUMBER, number, start + 1));
            } else if (Character.isLetter(c) || c == '_') {
                while (i < n && isIdentifierPart(text.charAt(i))) {
                    i++;
                }
                tokens.add(new Token(Kind.IDENT, text.substring(start, i), start + 1));
            } else {
                throw new RuleSyntaxException("unexpected character '" + c + "'", start + 1, null);
            }
        }
        tokens.add(new Token(Kind.END, "", n + 1));
        return tokens;
    }

    /** Letters, digits, '_', and '.' and '-' (for events.&lt;event_type&gt;, e.g. events.add-to-cart). */
    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-';
    }
}
