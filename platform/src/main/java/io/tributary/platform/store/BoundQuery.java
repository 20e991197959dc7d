package io.tributary.platform.store;

import java.util.List;

/** SQL with {@code ?} placeholders and the typed values bound to them, in order. */
public record BoundQuery(String sql, List<QueryParam> params) {
    public BoundQuery {
        params = List.copyOf(params);
        long placeholders = sql.chars().filter(c -> c == '?').count();
        if (placeholders != params.size()) {
            throw new IllegalArgumentException("SQL has " + placeholders + " placeholders but " + params.size() + " parameters");
        }
    }

    public static BoundQuery of(String sql, QueryParam... params) {
        return new BoundQuery(sql, List.of(params));
    }
}
