package io.tributary.platform.http;

import java.util.List;
import java.util.Optional;

/**
 * An error answered to the client as {@code {"error": {"code", "message", "details"}}}
 * (DESIGN.md §6). Handlers throw it; {@link HttpServer} renders it.
 */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient List<ErrorDetail> details;
    private final Optional<Integer> retryAfterSeconds;

    public ApiException(int status, String code, String message, List<ErrorDetail> details) {
        this(status, code, message, details, Optional.empty());
    }

    public ApiException(int status, String code, String message, List<ErrorDetail> details, Optional<Integer> retryAfterSeconds) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = List.copyOf(details);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException badRequest(String message, ErrorDetail... details) {
        return new ApiException(400, "BAD_REQUEST", message, List.of(details));
    }

    public static ApiException badRequest(String message, List<ErrorDetail> details) {
        return new ApiException(400, "BAD_REQUEST", message, details);
    }

    /** A query parameter is missing or invalid: 400 naming it. */
    public static ApiException invalidParam(String param, String problem) {
        return new ApiException(400, "INVALID_PARAMETER", "parameter '" + param + "' " + problem,
                List.of(ErrorDetail.field(param, problem)));
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "UNAUTHORIZED", message, List.of());
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "FORBIDDEN", message, List.of());
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "NOT_FOUND", message, List.of());
    }

    public static ApiException payloadTooLarge(long limitBytes) {
        return new ApiException(413, "PAYLOAD_TOO_LARGE", "request body exceeds the limit of " + limitBytes + " bytes", List.of());
    }

    public static ApiException serviceUnavailable(String message, int retryAfterSeconds) {
        return new ApiException(503, "SERVICE_UNAVAILABLE", message, List.of(), Optional.of(retryAfterSeconds));
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<ErrorDetail> details() {
        return details;
    }

    public Optional<Integer> retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
