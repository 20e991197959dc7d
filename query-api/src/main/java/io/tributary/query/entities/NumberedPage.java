package io.tributary.query.entities;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A page of a page-numbered list (seed 003's style: {@code page} from 1, {@code limit}), with the
 * total of matching items: rendered as {@code {"data", "page", "limit", "total", "hasMore"}}.
 */
public record NumberedPage<T>(List<T> data, int page, int limit, long total) {
    public NumberedPage {
        data = List.copyOf(data);
    }

    public boolean hasMore() {
        return (long) page * limit < total;
    }

    /** The SQL {@code LIMIT … OFFSET …} of page {@code page} of {@code limit} items (both validated integers). */
    public static String limitOffset(int page, int limit) {
        return " LIMIT " + limit + " OFFSET " + (long) (page - 1) * limit;
    }

    /** The JSON body, after {@code leading} fields (e.g. the customer a journey belongs to). */
    public Map<String, Object> body(Map<String, Object> leading) {
        Map<String, Object> body = new LinkedHashMap<>(leading);
        body.put("data", data);
        body.put("page", page);
        body.put("limit", limit);
        body.put("total", total);
        body.put("hasMore", hasMore());
        return body;
    }
}
