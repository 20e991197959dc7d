package io.tributary.query.pipes;

import io.tributary.platform.store.QueryResult;
import io.tributary.platform.store.QueryResult.QueryStatistics;
import io.tributary.platform.store.QueryResult.ResultColumn;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Shared test data: the shipped customer_activity pipe and event rows shaped like its result. */
final class PipeFixtures {
    static final List<ResultColumn> EVENT_COLUMNS = List.of(
            new ResultColumn("event_id", "String"),
            new ResultColumn("customer_id", "String"),
            new ResultColumn("event_type", "String"),
            new ResultColumn("event_timestamp", "DateTime"),
            new ResultColumn("session_id", "String"),
            new ResultColumn("page_url", "String"),
            new ResultColumn("product_id", "String"),
            new ResultColumn("category_id", "String"),
            new ResultColumn("price", "Decimal(18, 4)"),
            new ResultColumn("quantity", "Int32"),
            new ResultColumn("device_type", "String"),
            new ResultColumn("country", "String"),
            new ResultColumn("referrer", "String"),
            new ResultColumn("user_agent", "String"),
            new ResultColumn("ingested_at", "DateTime"));

    private PipeFixtures() {
    }

    static PipeDefinition customerActivity() {
        return PipeCatalog.fromClasspath(PipeFixtures.class.getClassLoader()).find("customer_activity").orElseThrow();
    }

    static List<Object> eventRow(int n) {
        return Arrays.asList("ev-" + n, "cust-789", "purchase", LocalDateTime.of(2023, 6, 15, 14, 30, 45).minusMinutes(n),
                "sess-456", "https://example.com/product/123", "prod-123", "cat-456", new BigDecimal("49.9900"), 1L,
                "mobile", "US", "google.com", "Mozilla/5.0 (iPhone; CPU iPhone OS 13_2_3 like Mac OS X)",
                LocalDateTime.of(2023, 6, 15, 14, 30, 46));
    }

    static QueryResult events(int count) {
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            rows.add(eventRow(i));
        }
        return new QueryResult(EVENT_COLUMNS, rows, new QueryStatistics(0.001, 1234, 56789));
    }
}
