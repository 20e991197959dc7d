package io.tributary.query.pipes;

import io.tributary.platform.http.ApiException;
import io.tributary.platform.store.AnalyticsStore;
import io.tributary.platform.store.BoundQuery;
import io.tributary.platform.store.QueryResult;
import io.tributary.platform.store.QueryResult.QueryStatistics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Runs pipes: checks the request's parameters, renders the pipe's SQL for the store's dialect with
 * the caller's workspace bound, queries the store, and applies the page limit.
 *
 * <p>{@code rows_before_limit_at_least} is computed here, not taken from the store, so that both
 * stores report the same figure: the final {@code LIMIT {{p}}} is bound as {@code p + 1}, at most
 * {@code p} rows are returned, and the figure is the number of rows fetched, i.e. {@code rows} when
 * no more rows matched and {@code rows + 1} when more did. Without a page limit it equals
 * {@code rows}.
 *
 * <p>Store failures propagate as {@link io.tributary.platform.store.StoreUnavailableException} and
 * {@link io.tributary.platform.store.StoreQueryException}; the HTTP layer decides what callers see.
 */
public final class PipeEngine {
    private final PipeCatalog catalog;
    private final AnalyticsStore store;
    private final LongSupplier nanoClock;

    public PipeEngine(PipeCatalog catalog, AnalyticsStore store) {
        this(catalog, store, System::nanoTime);
    }

    /** {@code nanoClock} measures statistics.elapsed; tests pass a fake one. */
    public PipeEngine(PipeCatalog catalog, AnalyticsStore store, LongSupplier nanoClock) {
        this.catalog = Objects.requireNonNull(catalog);
        this.store = Objects.requireNonNull(store);
        this.nanoClock = Objects.requireNonNull(nanoClock);
    }

    public PipeCatalog catalog() {
        return catalog;
    }

    /**
     * Runs pipe {@code pipeName} for the caller's {@code workspaceId} with the raw query-string
     * {@code query} (name → values as sent).
     *
     * @throws ApiException 404 for an unknown pipe, 400 for invalid parameters
     */
    public PipeResult run(String pipeName, String workspaceId, Map<String, List<String>> query) {
        long started = nanoClock.getAsLong();
        PipeDefinition pipe = catalog.find(pipeName)
                .orElseThrow(() -> ApiException.notFound("no pipe named '" + pipeName + "'"));
        PipeArguments arguments = PipeArguments.parse(pipe, query);
        Map<String, Object> bound = new HashMap<>(arguments.values());
        bound.put(PipeTemplate.WORKSPACE_ID, Objects.requireNonNull(workspaceId));
        PipeTemplate template = pipe.template(store.dialect());
        BoundQuery statement = template.render(bound);

        QueryResult result = store.query(statement);

        List<List<Object>> rows = result.rows();
        if (template.pageLimitParam().isPresent()) {
            long limit = ((Number) arguments.values().get(template.pageLimitParam().get())).longValue();
            if (rows.size() > limit) {
                rows = rows.subList(0, (int) limit);
            }
        }
        double elapsedSeconds = (nanoClock.getAsLong() - started) / 1e9;
        QueryStatistics storeStats = result.statistics();
        long rowsRead = storeStats == null ? 0 : storeStats.rowsRead();
        long bytesRead = storeStats == null ? 0 : storeStats.bytesRead();
        return new PipeResult(pipe.name(), result.columns(), rows, result.rows().size(),
                new QueryStatistics(elapsedSeconds, rowsRead, bytesRead));
    }
}
