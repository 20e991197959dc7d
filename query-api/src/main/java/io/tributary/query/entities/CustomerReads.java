package io.tributary.query.entities;

import io.tributary.platform.entities.CustomerView;
import io.tributary.platform.store.AnalyticsStore;
import io.tributary.platform.store.BoundQuery;
import io.tributary.platform.store.QueryParam;
import io.tributary.platform.store.StoreDialect;
import io.tributary.platform.store.StoreTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads of seed 003's customers from the store: a page of the workspace's live customers (optionally
 * matching a search over externalId, email and name), their count, and one customer by id or
 * {@code ext_<externalId>}. As for the other entities, the latest version of each customer of the
 * workspace is read first (ClickHouse {@code FINAL}), and every condition on a mutable column
 * (deleted_at, externalId, the searched fields) applies outside it. Values are always bound.
 */
public final class CustomerReads {
    private static final String COLUMNS = "id, external_id, email, name, avatar, click_id, attributes_keys, attributes_values, "
            + "pii_attributes, created_at, updated_at";
    private static final int COLUMN_COUNT = 11;

    private final AnalyticsStore store;

    public CustomerReads(AnalyticsStore store) {
        this.store = Objects.requireNonNull(store);
    }

    public NumberedPage<CustomerView> list(String workspaceId, int page, int limit, boolean ascending, Optional<String> search) {
        List<QueryParam> params = new ArrayList<>();
        String where = conditions(workspaceId, search, params);
        String direction = ascending ? " ASC" : " DESC";
        List<List<Object>> rows = store.query(new BoundQuery("SELECT " + COLUMNS + " FROM (" + latest(false) + ") AS c" + where
                + " ORDER BY created_at" + direction + ", id" + direction + NumberedPage.limitOffset(page, limit), params)).rows();
        return new NumberedPage<>(rows.stream().map(CustomerReads::view).toList(), page, limit, count(workspaceId, search));
    }

    /** Live customers of the workspace, matching {@code search} if given. */
    public long count(String workspaceId, Optional<String> search) {
        List<QueryParam> params = new ArrayList<>();
        String where = conditions(workspaceId, search, params);
        return ((Number) store.query(new BoundQuery("SELECT count(*) FROM (" + latest(false) + ") AS c" + where, params))
                .rows().get(0).get(0)).longValue();
    }

    /** A customer and the version (Kafka offset) of the record it was read from: it changes with every write. */
    public record Versioned(CustomerView view, long version) {
    }

    /** The live customer with this id, or with this externalId when given as {@code ext_<externalId>}. */
    public Optional<CustomerView> get(String workspaceId, String idOrExternal) {
        return getVersioned(workspaceId, idOrExternal).map(Versioned::view);
    }

    /** As {@link #get}, with the version of the stored record. */
    public Optional<Versioned> getVersioned(String workspaceId, String idOrExternal) {
        boolean byExternal = idOrExternal.startsWith(CustomerView.EXTERNAL_ID_PREFIX);
        List<QueryParam> params = new ArrayList<>(List.of(QueryParam.string(workspaceId)));
        if (!byExternal) {
            params.add(QueryParam.string(idOrExternal));
        } else {
            params.add(QueryParam.string(idOrExternal.substring(CustomerView.EXTERNAL_ID_PREFIX.length())));
        }
        String sql = "SELECT " + COLUMNS + ", version FROM (" + latest(!byExternal) + ") AS c WHERE deleted_at IS NULL"
                + (byExternal ? " AND external_id = ?" : "");
        List<List<Object>> rows = store.query(new BoundQuery(sql, params)).rows();
        return rows.isEmpty() ? Optional.empty()
                : Optional.of(new Versioned(view(rows.get(0)), ((Number) rows.get(0).get(COLUMN_COUNT)).longValue()));
    }

    private String conditions(String workspaceId, Optional<String> search, List<QueryParam> params) {
        params.add(QueryParam.string(workspaceId));
        StringBuilder where = new StringBuilder(" WHERE deleted_at IS NULL");
        search.ifPresent(text -> {
            String needle = text.toLowerCase(Locale.ROOT);
            where.append(" AND (").append(contains("external_id")).append(" OR ").append(contains("email")).append(" OR ")
                    .append(contains("name")).append(')');
            params.add(QueryParam.string(needle));
            params.add(QueryParam.string(needle));
            params.add(QueryParam.string(needle));
        });
        return where.toString();
    }

    /** Case-insensitive substring match of column against the next (lower-cased) parameter; no LIKE, so % and _ are plain text. */
    private String contains(String column) {
        return store.dialect() == StoreDialect.CLICKHOUSE
                ? "positionUTF8(lowerUTF8(ifNull(" + column + ", '')), ?) > 0"
                : "strpos(lower(coalesce(" + column + ", '')), ?) > 0";
    }

    /** The latest version of each customer of the workspace (placeholder 1), or of one id (placeholder 2). */
    private String latest(boolean oneId) {
        return "SELECT " + COLUMNS + ", deleted_at, version FROM " + StoreTables.CUSTOMERS.name()
                + (store.dialect() == StoreDialect.CLICKHOUSE ? " FINAL" : "") + " WHERE workspace_id = ?" + (oneId ? " AND id = ?" : "");
    }

    @SuppressWarnings("unchecked")
    private static CustomerView view(List<Object> row) {
        return CustomerView.of((String) row.get(0), (String) row.get(1), (String) row.get(2), (String) row.get(3), (String) row.get(4),
                (String) row.get(5), (List<String>) row.get(6), (List<String>) row.get(7), (List<String>) row.get(8),
                EntityReadSpec.instant(row.get(9)), EntityReadSpec.instant(row.get(10)));
    }
}
