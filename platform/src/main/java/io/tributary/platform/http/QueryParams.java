package io.tributary.platform.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reading a REST route's query parameters (not pipes', which have typed pipe files): each problem
 * is a 400 {@code INVALID_PARAMETER} naming the parameter. A parameter given twice is an error,
 * never silently the first or the last value.
 */
public final class QueryParams {
    private QueryParams() {
    }

    /** 400 naming the first parameter that is not in {@code allowed}. */
    public static void allowOnly(Map<String, List<String>> query, List<String> allowed) {
        for (String name : query.keySet()) {
            if (!allowed.contains(name)) {
                throw ApiException.invalidParam(name, "is not a parameter of this route (expected one of " + String.join(", ", allowed) + ")");
            }
        }
    }

    /** The parameter's value, if given (blank included); 400 when given more than once. */
    public static Optional<String> single(Map<String, List<String>> query, String name) {
        List<String> values = query.getOrDefault(name, List.of());
        if (values.size() > 1) {
            throw ApiException.invalidParam(name, "is given " + values.size() + " times");
        }
        return values.stream().findFirst();
    }

    /** As {@link #single}, and 400 when given blank. */
    public static Optional<String> nonBlank(Map<String, List<String>> query, String name) {
        Optional<String> value = single(query, name);
        if (value.isPresent() && value.get().isBlank()) {
            throw ApiException.invalidParam(name, "must not be empty");
        }
        return value;
    }

    /** A whole number from {@code min} to {@code max}, {@code defaultValue} when absent; given blank is a 400. */
    public static int integer(Map<String, List<String>> query, String name, int defaultValue, int min, int max) {
        Optional<String> text = nonBlank(query, name);
        if (text.isEmpty()) {
            return defaultValue;
        }
        int value;
        try {
            value = Integer.parseInt(text.get().strip());
        } catch (NumberFormatException e) {
            throw ApiException.invalidParam(name, "must be a whole number from " + min + " to " + max + ", got '" + text.get() + "'");
        }
        if (value < min || value > max) {
            throw ApiException.invalidParam(name, "must be from " + min + " to " + max + ", got " + value);
        }
        return value;
    }
}
