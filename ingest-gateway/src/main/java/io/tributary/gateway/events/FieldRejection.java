package io.tributary.gateway.events;

/**
 * Why one field value was refused. Thrown by the field readers and turned into a quarantined row
 * by {@link RowConverter}; it carries no stack trace because rejections are ordinary input, not bugs.
 */
final class FieldRejection extends Exception {
    private static final long serialVersionUID = 1L;
    /** Values quoted in reasons are cut here, so that a reason never repeats a huge value. */
    private static final int MAX_QUOTED_CHARS = 64;

    FieldRejection(String reason) {
        super(reason, null, false, false);
    }

    String reason() {
        return getMessage();
    }

    /** {@code 'value'}, cut to a readable length. */
    static String quote(String value) {
        return value.length() <= MAX_QUOTED_CHARS
                ? "'" + value + "'"
                : "'" + value.substring(0, MAX_QUOTED_CHARS) + "...' (" + value.length() + " chars)";
    }
}
