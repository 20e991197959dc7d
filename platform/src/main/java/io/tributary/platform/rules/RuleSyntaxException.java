package io.tributary.platform.rules;

/**
 * A segment rule that does not parse: {@link #reason()} says what was expected or wrong and
 * {@link #position()} where (1-based character position in the rule text; one past the end when
 * the rule ended too early). The message reads e.g. "expected a comparison operator at position 15".
 */
public final class RuleSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String reason;
    private final int position;

    RuleSyntaxException(String reason, int position, String detail) {
        super(reason + " at position " + position + (detail == null ? "" : detail), null, false, false);
        this.reason = reason;
        this.position = position;
    }

    /** What went wrong, without the position. */
    public String reason() {
        return reason;
    }

    /** 1-based character position of the error in the rule text. */
    public int position() {
        return position;
    }
}
