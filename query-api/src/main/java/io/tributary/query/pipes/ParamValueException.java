package io.tributary.query.pipes;

/**
 * A parameter value (from a request or a pipe file's {@code default=}) is not valid for its
 * declaration; the message is the problem phrased to follow "parameter 'x' ", e.g. "must be a Date
 * as YYYY-MM-DD".
 */
final class ParamValueException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ParamValueException(String problem) {
        super(problem, null, false, false);
    }
}
