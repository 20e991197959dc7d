package io.tributary.query.entities;

import io.tributary.platform.http.ApiException;
import io.tributary.platform.http.PageRequest;
import io.tributary.platform.store.AnalyticsStore;
import io.tributary.platform.store.BoundQuery;
import io.tributary.platform.store.QueryParam;
import io.tributary.platform.store.StoreDialect;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads one Fin X resource from the store: retrieve by id, and lists newest first (by the spec's
 * sort time, then id, a total order, so Stripe-style cursors neither skip nor repeat a record).
 *
 * <p>Every query reads the latest version of each entity of the caller's workspace first
 * (ClickHouse: {@code FINAL}, keyed by workspace and id, so the versions of an entity are merged
 * before any filter sees them), then drops deleted ones and applies the filters outside: filtering
 * on a mutable column before the merge would find a superseded version. Values are always bound.
 */
public final class EntityReads {
    /** A page of views; {@code hasMore}: there are more records beyond it in the direction read. */
    public record Page(List<Object> data, boolean hasMore) {
        public Page {
            data = Collections.unmodifiableList(new ArrayList<>(data));
        }
    }

    private final EntityReadSpec spec;
    private final AnalyticsStore store;
    private final String selected;
    private final String outputs;

    public EntityReads(EntityReadSpec spec, AnalyticsStore store) {
        this.spec = Objects.requireNonNull(spec);
        this.store = Objects.requireNonNull(store);
        this.selected = String.join(", ", spec.columns());
        this.outputs = spec.columns().stream().map(EntityReadSpec::outputName).collect(Collectors.joining(", "));
    }

    public EntityReadSpec spec() {
        return spec;
    }

    /** The entity {@code id} of the workspace, unless absent or deleted. */
    public Optional<Object> get(String workspaceId, String id) {
        List<List<Object>> rows = store.query(new BoundQuery(
                "SELECT " + outputs + " FROM (" + latest(true) + ") AS e WHERE NOT deleted",
                List.of(QueryParam.string(workspaceId), QueryParam.string(id)))).rows();
        return rows.isEmpty() ? Optional.empty() : Optional.of(spec.view().apply(rows.get(0)));
    }

    /**
     * One page of the workspace's entities matching {@code filters} (parameter → value, parameters
     * from the spec), after or before the page's cursor. A cursor id that is not a live entity of
     * the workspace → 400 naming the parameter.
     */
    public Page list(String workspaceId, PageRequest page, Map<String, String> filters) {
        StringBuilder sql = new StringBuilder("SELECT ").append(outputs).append(", listed_at FROM (").append(latest(false))
                .append(") AS e WHERE NOT deleted");
        List<QueryParam> params = new ArrayList<>();
        params.add(QueryParam.string(workspaceId));
        filters.forEach((param, value) -> {
            String column = spec.filters().get(param);
            if (column == null) {
                throw new IllegalArgumentException(spec.noun() + " has no filter " + param);
            }
            sql.append(" AND ").append(column).append(" = ?");
            params.add(QueryParam.string(value));
        });
        boolean backwards = page.endingBefore().isPresent();
        Optional<String> cursorParam = page.startingAfter().isPresent() ? Optional.of("starting_after")
                : backwards ? Optional.of("ending_before") : Optional.empty();
        if (cursorParam.isPresent()) {
            String cursorId = page.startingAfter().orElseGet(() -> page.endingBefore().orElseThrow());
            Instant at = listedAt(workspaceId, cursorId).orElseThrow(() -> ApiException.invalidParam(cursorParam.get(),
                    "names no " + spec.noun() + " of this workspace: '" + cursorId + "'"));
            String op = backwards ? ">" : "<";
            sql.append(" AND (listed_at ").append(op).append(" ? OR (listed_at = ? AND ").append(spec.idColumn()).append(' ')
                    .append(op).append(" ?))");
            params.add(QueryParam.timestamp(at));
            params.add(QueryParam.timestamp(at));
            params.add(QueryParam.string(cursorId));
        }
        String direction = backwards ? " ASC" : " DESC";
        sql.append(" ORDER BY listed_at").append(direction).append(", ").append(spec.idColumn()).append(direction)
                .append(" LIMIT ").append(page.limit() + 1);
        List<List<Object>> rows = store.query(new BoundQuery(sql.toString(), params)).rows();
        boolean hasMore = rows.size() > page.limit();
        List<Object> views = new ArrayList<>();
        for (List<Object> row : rows.subList(0, Math.min(rows.size(), page.limit()))) {
            views.add(spec.view().apply(row));
        }
        if (backwards) {
            Collections.reverse(views); // read oldest-first up to the cursor; shown in list order
        }
        return new Page(views, hasMore);
    }

    private Optional<Instant> listedAt(String workspaceId, String id) {
        List<List<Object>> rows = store.query(new BoundQuery("SELECT listed_at FROM (" + latest(true) + ") AS e WHERE NOT deleted",
                List.of(QueryParam.string(workspaceId), QueryParam.string(id)))).rows();
        return rows.isEmpty() ? Optional.empty() : Optional.of(EntityReadSpec.instant(rows.get(0).get(0)));
    }

    /** The latest version of each entity of one workspace (placeholder 1), or of one id (placeholder 2) when {@code oneId}. */
    private String latest(boolean oneId) {
        return "SELECT " + selected + ", " + spec.listedAt() + " AS listed_at, deleted FROM " + spec.table()
                + (store.dialect() == StoreDialect.CLICKHOUSE ? " FINAL" : "") + " WHERE workspace_id = ?"
                + (oneId ? " AND " + spec.idColumn() + " = ?" : "");
    }
}
