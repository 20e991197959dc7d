package io.tributary.query.pipes;

import io.tributary.platform.store.QueryResult.QueryStatistics;
import io.tributary.platform.store.QueryResult.ResultColumn;
import java.util.List;

/**
 * What a pipe request returns, ready for any output format: columns and rows as the store
 * normalised them, a true lower bound on the rows that matched before the page limit, and Tinybird's
 * statistics (elapsed: seconds the engine spent; rows and bytes read: the store's figures).
 */
public record PipeResult(String pipe, List<ResultColumn> columns, List<List<Object>> rows,
                         long rowsBeforeLimitAtLeast, QueryStatistics statistics) {
    public PipeResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }
}
