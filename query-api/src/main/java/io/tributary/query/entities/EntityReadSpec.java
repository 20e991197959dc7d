package io.tributary.query.entities;

import io.tributary.platform.auth.Scope;
import io.tributary.platform.entities.CustomerInsightView;
import io.tributary.platform.entities.CustomerSegmentView;
import io.tributary.platform.store.StoreTables;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What is specific to reading one Fin X resource from the store: its routes and scope, its table
 * and columns, the list's sort time, its filters (query parameter → column) and how a row becomes
 * the API's view. {@link EntityReads} does the rest, the same for every resource.
 *
 * @param listedAt SQL expression of the time the list is sorted by (newest first), over the table's columns
 * @param columns  the columns {@code view} receives, in order
 * @param filters  list filters of the seed: query parameter → column (equality)
 */
public record EntityReadSpec(String noun, String path, Scope readScope, String table, String idColumn, String listedAt,
                             List<String> columns, Map<String, String> filters, Function<List<Object>, Object> view) {
    public EntityReadSpec {
        Objects.requireNonNull(noun);
        Objects.requireNonNull(path);
        Objects.requireNonNull(readScope);
        Objects.requireNonNull(table);
        Objects.requireNonNull(idColumn);
        Objects.requireNonNull(listedAt);
        columns = List.copyOf(columns);
        filters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(filters));
        Objects.requireNonNull(view);
    }

    /** Seed 000: {@code /v1/customer-insights}, filters customer_id and insight_type. */
    public static final EntityReadSpec CUSTOMER_INSIGHTS = new EntityReadSpec("customer insight", CustomerInsightView.PATH,
            Scope.INSIGHTS_READ, StoreTables.CUSTOMER_INSIGHTS.name(), "insight_id", "created_at",
            List.of("insight_id", "customer_id", "insight_type", "details", "created_at", "updated_at"),
            orderedMap(CustomerInsightView.LIST_FILTERS, CustomerInsightView.LIST_FILTERS),
            row -> new CustomerInsightView((String) row.get(0), (String) row.get(1), (String) row.get(2), (String) row.get(3),
                    instant(row.get(4)).getEpochSecond(), instant(row.get(5)).getEpochSecond()));

    /**
     * Seed 001: {@code /v1/customer-segments}, filters name and criteria (the criteria as shown:
     * the Fin X text, else the Events API's rule). Segments of the Events API are listed too.
     */
    public static final EntityReadSpec CUSTOMER_SEGMENTS = new EntityReadSpec("customer segment", CustomerSegmentView.PATH,
            Scope.SEGMENTS_READ, StoreTables.CUSTOMER_SEGMENTS.name(), "segment_id", "ifNull(created_at, ingested_at)",
            List.of("segment_id", "segment_name", "segment_description", "criteria", "segment_rules", "created_at", "ingested_at",
                    "ifNull(criteria, segment_rules) AS shown_criteria"),
            orderedMap(CustomerSegmentView.LIST_FILTERS, List.of("segment_name", "shown_criteria")),
            row -> CustomerSegmentView.of((String) row.get(0), (String) row.get(1), (String) row.get(2), (String) row.get(3),
                    (String) row.get(4), row.get(5) == null ? null : instant(row.get(5)), instant(row.get(6))));

    /** The name a column has in the inner query's result ({@code expr AS name} → name). */
    static String outputName(String column) {
        int as = column.toUpperCase(java.util.Locale.ROOT).lastIndexOf(" AS ");
        return as < 0 ? column : column.substring(as + 4).strip();
    }

    public static Instant instant(Object storeTimestamp) {
        return ((LocalDateTime) storeTimestamp).toInstant(ZoneOffset.UTC);
    }

    private static Map<String, String> orderedMap(List<String> keys, List<String> values) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            map.put(keys.get(i), values.get(i));
        }
        return map;
    }
}
