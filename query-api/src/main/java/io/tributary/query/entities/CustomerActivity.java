package io.tributary.query.entities;

import io.tributary.platform.entities.CustomerView;
import io.tributary.platform.store.AnalyticsStore;
import io.tributary.platform.store.BoundQuery;
import io.tributary.platform.store.QueryParam;
import io.tributary.platform.store.StoreDialect;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A customer's events (seed 002's customer_events) as seed 003 links them: an event belongs to the
 * customer when its customer_id is the customer's externalId, or it carries the customer's email or
 * clickId. Journey = those events in time order (event_timestamp, then event_id), paginated;
 * attribution = the first and the last of them that carry a click, link or UTM source/campaign.
 * ClickHouse keeps one copy of a replayed event ({@code LIMIT 1 BY event_id}, as the ReplacingMergeTree
 * may not have merged yet); DuckDB's key already does.
 */
public final class CustomerActivity {
    private static final String EVENT_COLUMNS = "event_id, event_type, event_timestamp, session_id, page_url, product_id, category_id, "
            + "price, quantity, email, click_id, link_id, utm_source, utm_medium, utm_campaign";
    private static final String TOUCH = "(click_id IS NOT NULL OR link_id IS NOT NULL OR utm_source IS NOT NULL OR utm_campaign IS NOT NULL)";

    private final AnalyticsStore store;

    public CustomerActivity(AnalyticsStore store) {
        this.store = Objects.requireNonNull(store);
    }

    public NumberedPage<Map<String, Object>> journey(String workspaceId, CustomerView customer, int page, int limit) {
        List<QueryParam> params = new ArrayList<>();
        String linked = linked(workspaceId, customer, params, "");
        List<List<Object>> rows = store.query(new BoundQuery("SELECT " + EVENT_COLUMNS + " FROM (" + linked + ") AS e"
                + " ORDER BY event_timestamp, event_id" + NumberedPage.limitOffset(page, limit), params)).rows();
        List<QueryParam> countParams = new ArrayList<>();
        long total = ((Number) store.query(new BoundQuery("SELECT count(*) FROM (" + linked(workspaceId, customer, countParams, "") + ") AS e",
                countParams)).rows().get(0).get(0)).longValue();
        return new NumberedPage<>(rows.stream().map(CustomerActivity::event).toList(), page, limit, total);
    }

    /** The first and last touches of the customer's linked events, and how many touches there are. */
    public Map<String, Object> attribution(String workspaceId, CustomerView customer) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("customerId", customer.id());
        body.put("externalId", customer.externalId());
        body.put("firstTouch", touch(workspaceId, customer, "ASC").orElse(null));
        body.put("lastTouch", touch(workspaceId, customer, "DESC").orElse(null));
        List<QueryParam> params = new ArrayList<>();
        body.put("touches", ((Number) store.query(new BoundQuery("SELECT count(*) FROM (" + linked(workspaceId, customer, params, TOUCH)
                + ") AS e", params)).rows().get(0).get(0)).longValue());
        return body;
    }

    /**
     * The customer's lifetime value recomputed from the event history: the revenue (price × quantity,
     * quantity 1 when absent) of its linked purchases, each counted once, and how many there are.
     */
    public Map<String, Object> lifetimeValue(String workspaceId, CustomerView customer, java.time.Instant computedAt) {
        List<QueryParam> params = new ArrayList<>();
        String sum = "sum(" + CustomerCohorts.purchaseAmount(store.dialect()) + ")";
        String amount = store.dialect() == StoreDialect.CLICKHOUSE ? "toDecimal64(" + sum + ", 4)" : "coalesce(" + sum + ", 0)";
        List<Object> row = store.query(new BoundQuery("SELECT count(*), " + amount + " FROM (" + linked(workspaceId, customer, params,
                "event_type = 'purchase'") + ") AS e", params)).rows().get(0);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("customerId", customer.id());
        body.put("externalId", customer.externalId());
        body.put("ltv", CustomerCohorts.money(row.get(1)));
        body.put("purchases", ((Number) row.get(0)).longValue());
        body.put("computedAt", computedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        return body;
    }

    private Optional<Map<String, Object>> touch(String workspaceId, CustomerView customer, String direction) {
        List<QueryParam> params = new ArrayList<>();
        List<List<Object>> rows = store.query(new BoundQuery("SELECT event_id, event_timestamp, click_id, link_id, utm_campaign, utm_source, utm_medium"
                + " FROM (" + linked(workspaceId, customer, params, TOUCH) + ") AS e ORDER BY event_timestamp " + direction
                + ", event_id " + direction + " LIMIT 1", params)).rows();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        List<Object> r = rows.get(0);
        Map<String, Object> touch = new LinkedHashMap<>();
        touch.put("eventId", r.get(0));
        touch.put("timestamp", EntityReadSpec.instant(r.get(1)).toString());
        touch.put("clickId", r.get(2));
        touch.put("linkId", r.get(3));
        touch.put("campaign", r.get(4));
        touch.put("source", r.get(5));
        touch.put("medium", r.get(6));
        return Optional.of(touch);
    }

    /** The customer's events (one copy each), with {@code extra} as a further condition when not empty. */
    private String linked(String workspaceId, CustomerView customer, List<QueryParam> params, String extra) {
        params.add(QueryParam.string(workspaceId));
        StringBuilder identity = new StringBuilder("customer_id = ?");
        params.add(QueryParam.string(customer.externalId()));
        if (customer.email() != null) {
            identity.append(" OR email = ?");
            params.add(QueryParam.string(customer.email()));
        }
        if (customer.clickId() != null) {
            identity.append(" OR click_id = ?");
            params.add(QueryParam.string(customer.clickId()));
        }
        return "SELECT " + EVENT_COLUMNS + " FROM customer_events WHERE workspace_id = ? AND (" + identity + ")"
                + (extra.isEmpty() ? "" : " AND " + extra)
                + (store.dialect() == StoreDialect.CLICKHOUSE ? " LIMIT 1 BY event_id" : "");
    }

    private static Map<String, Object> event(List<Object> r) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", r.get(0));
        e.put("eventType", r.get(1));
        e.put("timestamp", EntityReadSpec.instant(r.get(2)).toString());
        e.put("sessionId", r.get(3));
        e.put("pageUrl", r.get(4));
        e.put("productId", r.get(5));
        e.put("categoryId", r.get(6));
        e.put("price", r.get(7) == null ? null : ((BigDecimal) r.get(7)).stripTrailingZeros().toPlainString());
        e.put("quantity", r.get(8));
        e.put("email", r.get(9));
        e.put("clickId", r.get(10));
        e.put("linkId", r.get(11));
        e.put("utmSource", r.get(12));
        e.put("utmMedium", r.get(13));
        e.put("utmCampaign", r.get(14));
        return e;
    }
}
