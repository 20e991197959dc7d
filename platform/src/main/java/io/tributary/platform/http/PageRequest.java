package io.tributary.platform.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A list route's page (seeds 000 and 001, Stripe-style cursors): {@code limit} records, default
 * 10, 1 to 100; then either {@code starting_after} (the page after that id, in list order) or
 * {@code ending_before} (the page before it), never both.
 */
public record PageRequest(int limit, Optional<String> startingAfter, Optional<String> endingBefore) {
    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_LIMIT = 100;

    public PageRequest {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", got " + limit);
        }
        if (startingAfter.isPresent() && endingBefore.isPresent()) {
            throw new IllegalArgumentException("starting_after and ending_before exclude each other");
        }
    }

    public static PageRequest first(int limit) {
        return new PageRequest(limit, Optional.empty(), Optional.empty());
    }

    /** Reads limit, starting_after and ending_before from a query string; 400 naming the parameter when one is wrong. */
    public static PageRequest fromQuery(Map<String, List<String>> query) {
        int limit = QueryParams.integer(query, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        Optional<String> after = QueryParams.nonBlank(query, "starting_after");
        Optional<String> before = QueryParams.nonBlank(query, "ending_before");
        if (after.isPresent() && before.isPresent()) {
            throw ApiException.invalidParam("ending_before", "cannot be combined with starting_after");
        }
        return new PageRequest(limit, after, before);
    }
}
