package io.tributary.query.pipes;

import io.tributary.platform.store.AnalyticsStore;
import io.tributary.platform.store.BoundQuery;
import io.tributary.platform.store.QueryResult;
import io.tributary.platform.store.StoreDialect;
import io.tributary.platform.store.StoreTable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A store for unit and route tests: records every query it gets and answers with whatever the test set. */
final class FakeAnalyticsStore implements AnalyticsStore {
    private final StoreDialect dialect;
    private final List<BoundQuery> queries = new CopyOnWriteArrayList<>();
    private volatile Function<BoundQuery, QueryResult> answer;

    FakeAnalyticsStore(StoreDialect dialect, QueryResult cannedResult) {
        this.dialect = dialect;
        this.answer = q -> cannedResult;
    }

    void answerWith(Function<BoundQuery, QueryResult> answer) {
        this.answer = answer;
    }

    List<BoundQuery> queries() {
        return List.copyOf(queries);
    }

    BoundQuery lastQuery() {
        return queries.get(queries.size() - 1);
    }

    @Override
    public StoreDialect dialect() {
        return dialect;
    }

    @Override
    public void migrate() {
    }

    @Override
    public void ping() {
    }

    @Override
    public void write(StoreTable table, List<Object[]> rows) {
        throw new UnsupportedOperationException("the read side never writes");
    }

    @Override
    public QueryResult query(BoundQuery query) {
        queries.add(query);
        return answer.apply(query);
    }

    @Override
    public void truncate(StoreTable table) {
        throw new UnsupportedOperationException("pipes never empty tables");
    }

    @Override
    public void close() {
    }
}
