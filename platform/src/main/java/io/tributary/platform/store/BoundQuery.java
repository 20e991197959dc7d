package io.tributary.platform.store;

import java.util.List;
import java.util.Objects;

/**
 * SQL with {@code ?} placeholders and the typed values bound to them, in order. A {@code ?} inside a
 * string literal, a quoted identifier or a comment is not a placeholder (see {@link SqlText}).
 */
public record BoundQuery(String sql, List<QueryParam> params) {
    public BoundQuery {
        Objects.requireNonNull(sql);
        params = List.copyOf(params);
        int placeholders = SqlText.placeholderOffsets(sql).size();
        if (placeholders != params.size()) {
            throw new IllegalArgumentException("SQL has " + placeholders + " placeholders but " + params.size() + " parameters");
        }
    }

    public static BoundQuery of(String sql, QueryParam... params) {
        return new BoundQuery(sql, List.of(params));
    }
}
