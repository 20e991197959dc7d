package io.tributary.query.pipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.platform.http.ApiException;
import io.tributary.platform.store.QueryParam;
import io.tributary.platform.store.QueryResult;
import io.tributary.platform.store.QueryResult.QueryStatistics;
import io.tributary.platform.store.QueryResult.ResultColumn;
import io.tributary.platform.store.StoreDialect;
import io.tributary.platform.store.StoreUnavailableException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipeEngineTest {

    private static final PipeCatalog CATALOG = PipeCatalog.of(List.of(PipeFixtures.customerActivity(),
            PipeFileParser.parse("event_counts.pipe", """
                    SQL >
                        SELECT event_type, count() AS n FROM customer_events
                        WHERE workspace_id = {{workspace_id}} GROUP BY event_type ORDER BY event_type
                    """)));

    @Test
    void fetchesOneRowMoreThanTheLimitToReportThatMoreRowsExist() {
        FakeAnalyticsStore store = new FakeAnalyticsStore(StoreDialect.DUCKDB, PipeFixtures.events(4));

        PipeResult result = new PipeEngine(CATALOG, store).run("customer_activity", "ws-1", query("customer_id", "cust-789", "limit", "3"));

        assertThat(store.lastQuery().params()).last().isEqualTo(QueryParam.int64(4));
        assertThat(result.rows()).containsExactlyElementsOf(PipeFixtures.events(3).rows());
        assertThat(result.rowsBeforeLimitAtLeast()).isEqualTo(4);
    }

    @Test
    void reportsExactlyTheRowsWhenNoMoreMatched() {
        FakeAnalyticsStore store = new FakeAnalyticsStore(StoreDialect.DUCKDB, PipeFixtures.events(3));

        PipeResult result = new PipeEngine(CATALOG, store).run("customer_activity", "ws-1", query("customer_id", "cust-789", "limit", "3"));

        assertThat(result.rows()).hasSize(3);
        assertThat(result.rowsBeforeLimitAtLeast()).isEqualTo(3);
    }

    @Test
    void usesTheDefaultLimitOfTheSeed() {
        FakeAnalyticsStore store = new FakeAnalyticsStore(StoreDialect.DUCKDB, PipeFixtures.events(101));

        PipeResult result = new PipeEngine(CATALOG, store).run("customer_activity", "ws-1", query("customer_id", "cust-789"));

        assertThat(store.lastQuery().params()).last().isEqualTo(QueryParam.int64(101));
        assertThat(result.rows()).hasSize(100);
        assertThat(result.rowsBeforeLimitAtLeast()).isEqualTo(101);
    }

    @Test
    void withoutAPageLimitRowsBeforeLimitIsTheRowCount() {
        QueryResult counts = new QueryResult(List.of(new ResultColumn("event_type", "String"), new ResultColumn("n", "UInt64")),
                List.of(List.of("page_view", 3L), List.of("purchase", 1L)), new QueryStatistics(0.001, 4, 100));
        FakeAnalyticsStore store = new FakeAnalyticsStore(StoreDialect.DUCKDB, counts);

        PipeResult result = new PipeEngine(CATALOG, store).run("event_counts", "ws-1", Map.of());

        assertThat(result.rows()).hasSize(2);
        assertThat(result.rowsBeforeLimitAtLeast()).isEqualTo(2);
        assertThat(store.lastQuery().params()).containsExactly(QueryParam.string("ws-1"));
    }

    @Test
    void bindsTheCallersWorkspaceAndRunsTheSqlOfTheStoresDialect() {
        FakeAnalyticsStore clickhouse = new FakeAnalyticsStore(StoreDialect.CLICKHOUSE, PipeFixtures.events(0));

        new PipeEngine(CATALOG, clickhouse).run("customer_activity", "ws-42", query("customer_id", "cust-789"));

        assertThat(clickhouse.lastQuery().sql()).contains("FROM customer_events FINAL");
        assertThat(clickhouse.lastQuery().params().get(0)).isEqualTo(QueryParam.string("ws-42"));
    }

    @Test
    void statisticsTakeElapsedFromTheEngineAndReadFiguresFromTheStore() {
        FakeAnalyticsStore store = new FakeAnalyticsStore(StoreDialect.DUCKDB, PipeFixtures.events(1));
        Deque<Long> ticks = new ArrayDeque<>(List.of(7_000_000_000L, 7_002_500_000L));

        PipeResult result = new PipeEngine(CATALOG, store, ticks::removeFirst)
                .run("customer_activity", "ws-1", query("customer_id", "cust-789"));

        assertThat(result.statistics()).isEqualTo(new QueryStatistics(0.0025, 1234, 56789));
    }

    @Test
    void anUnknownPipeIsNotFound() {
        FakeAnalyticsStore store = new FakeAnalyticsStore(StoreDialect.DUCKDB, PipeFixtures.events(0));

        assertThatThrownBy(() -> new PipeEngine(CATALOG, store).run("nope", "ws-1", Map.of()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404))
                .hasMessage("no pipe named 'nope'");
    }

    @Test
    void invalidParametersNeverReachTheStore() {
        FakeAnalyticsStore store = new FakeAnalyticsStore(StoreDialect.DUCKDB, PipeFixtures.events(0));

        assertThatThrownBy(() -> new PipeEngine(CATALOG, store).run("customer_activity", "ws-1", query("limit", "5")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThat(store.queries()).isEmpty();
    }

    @Test
    void storeFailuresPropagateForTheHttpLayerToTranslate() {
        FakeAnalyticsStore store = new FakeAnalyticsStore(StoreDialect.DUCKDB, PipeFixtures.events(0));
        store.answerWith(q -> {
            throw new StoreUnavailableException("connection refused", null);
        });

        assertThatThrownBy(() -> new PipeEngine(CATALOG, store).run("customer_activity", "ws-1", query("customer_id", "c")))
                .isInstanceOf(StoreUnavailableException.class);
    }

    private static Map<String, List<String>> query(String... nameValues) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            query.put(nameValues[i], List.of(nameValues[i + 1]));
        }
        return query;
    }
}
