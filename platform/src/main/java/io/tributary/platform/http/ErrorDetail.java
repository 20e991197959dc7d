package io.tributary.platform.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One problem with the input: which field and/or row (1-based line number), and what was wrong. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorDetail(String field, Long row, String message) {

    public static ErrorDetail field(String field, String message) {
        return new ErrorDetail(field, null, message);
    }

    public static ErrorDetail row(long row, String field, String message) {
        return new ErrorDetail(field, row, message);
    }
}
