package io.tributary.query.entities;

import io.tributary.platform.store.AnalyticsStore;
import io.tributary.platform.store.BoundQuery;
import io.tributary.platform.store.QueryParam;
import io.tributary.platform.store.StoreDialect;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Seed 003's cohorts: the workspace's customers (soft-deleted ones too: their conversions and
 * revenue stay in every aggregate, events linked by email too: through the email's salted hash,
 * which a delete keeps) grouped by signup week (Monday) or month, or by the campaign or
 * source of their first touch; per cohort the customers, those with at least one purchase among
 * their linked events, and the revenue of those purchases (price × quantity, quantity 1 when
 * absent). Events link to a customer as in {@link CustomerActivity} (externalId, email, click id),
 * each linked event counted once per customer. {@code start} and {@code end} bound the signup date,
 * inclusive.
 */
public final class CustomerCohorts {
    /** How customers are grouped: {@code week}, {@code month}, {@code campaign}, {@code source}. */
    public enum GroupBy {
        WEEK, MONTH, CAMPAIGN, SOURCE;

        public static Optional<GroupBy> parse(String text) {
            for (GroupBy g : values()) {
                if (g.name().toLowerCase(Locale.ROOT).equals(text)) {
                    return Optional.of(g);
                }
            }
            return Optional.empty();
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The label of customers without a first-touch campaign or source. */
    public static final String NONE = "(none)";

    private final AnalyticsStore store;

    public CustomerCohorts(AnalyticsStore store) {
        this.store = Objects.requireNonNull(store);
    }

    public Map<String, Object> cohorts(String workspaceId, GroupBy groupBy, Optional<LocalDate> start, Optional<LocalDate> end) {
        List<QueryParam> params = new ArrayList<>();
        String sql = store.dialect() == StoreDialect.CLICKHOUSE
                ? clickHouse(workspaceId, groupBy, start, end, params) : duckDb(workspaceId, groupBy, start, end, params);
        List<Map<String, Object>> cohorts = new ArrayList<>();
        for (List<Object> row : store.query(new BoundQuery(sql, params)).rows()) {
            Map<String, Object> cohort = new LinkedHashMap<>();
            cohort.put("cohort", row.get(0));
            cohort.put("customers", ((Number) row.get(1)).longValue());
            cohort.put("convertingCustomers", ((Number) row.get(2)).longValue());
            cohort.put("revenue", money(row.get(3)));
            cohorts.add(cohort);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("groupBy", groupBy.id());
        body.put("start", start.map(LocalDate::toString).orElse(null));
        body.put("end", end.map(LocalDate::toString).orElse(null));
        body.put("cohorts", cohorts);
        return body;
    }

    /**
     * LTV cohorts: per signup month, the cumulative revenue per customer at month 0..{@code months}
     * after signup (month 0 = the signup month; purchases before signup count in month 0; the
     * cohort's soft-deleted customers count too), to two decimals.
     */
    public Map<String, Object> ltvCohorts(String workspaceId, int months) {
        boolean clickHouse = store.dialect() == StoreDialect.CLICKHOUSE;
        String month = clickHouse ? "substring(toString(toStartOfMonth(created_at)), 1, 7)" : "strftime(created_at, '%Y-%m')";
        Map<String, Long> sizes = new java.util.TreeMap<>();
        for (List<Object> row : store.query(new BoundQuery("SELECT " + month + " AS cohort, count(*) FROM customers" + (clickHouse ? " FINAL" : "")
                + " WHERE workspace_id = ? GROUP BY cohort", List.of(QueryParam.string(workspaceId)))).rows()) {
            sizes.put((String) row.get(0), ((Number) row.get(1)).longValue());
        }
        List<QueryParam> params = new ArrayList<>();
        String sql;
        if (clickHouse) {
            params.add(QueryParam.string(workspaceId));
            String customers = "SELECT id, created_at FROM customers FINAL WHERE workspace_id = ?";
            String purchases = "SELECT * FROM (" + clickHouseLinked(workspaceId, Optional.empty(), Optional.empty(), params)
                    + ") WHERE event_type = 'purchase'";
            sql = "SELECT " + month + " AS cohort, toInt32(toYear(event_timestamp)) * 12 + toInt32(toMonth(event_timestamp))"
                    + " - toInt32(toYear(created_at)) * 12 - toInt32(toMonth(created_at)) AS idx, toDecimal64(sum(" + purchaseAmount(StoreDialect.CLICKHOUSE) + "), 4)"
                    + " FROM (" + customers + ") ALL INNER JOIN (" + purchases + ") USING id GROUP BY cohort, idx";
        } else {
            sql = duckDbLinked(workspaceId, Optional.empty(), Optional.empty(), params)
                    + " SELECT strftime(c.created_at, '%Y-%m') AS cohort, (year(l.event_timestamp) * 12 + month(l.event_timestamp))"
                    + " - (year(c.created_at) * 12 + month(c.created_at)) AS idx, sum(" + purchaseAmount(StoreDialect.DUCKDB) + ")"
                    + " FROM c JOIN l ON l.id = c.id WHERE l.event_type = 'purchase' GROUP BY cohort, idx";
        }
        Map<String, BigDecimal[]> byMonth = new java.util.TreeMap<>();
        for (List<Object> row : store.query(new BoundQuery(sql, params)).rows()) {
            int idx = Math.max(0, ((Number) row.get(1)).intValue());
            if (idx <= months && row.get(2) != null) {
                BigDecimal[] revenue = byMonth.computeIfAbsent((String) row.get(0), k -> zeros(months + 1));
                revenue[idx] = revenue[idx].add(new BigDecimal(row.get(2).toString()));
            }
        }
        List<Map<String, Object>> cohorts = new ArrayList<>();
        sizes.forEach((cohort, customers) -> {
            BigDecimal[] revenue = byMonth.getOrDefault(cohort, zeros(months + 1));
            List<String> ltv = new ArrayList<>();
            BigDecimal cumulative = BigDecimal.ZERO;
            for (BigDecimal r : revenue) {
                cumulative = cumulative.add(r);
                ltv.add(money(cumulative.divide(BigDecimal.valueOf(customers), 2, java.math.RoundingMode.HALF_UP)));
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("cohort", cohort);
            entry.put("customers", customers);
            entry.put("ltv", ltv);
            cohorts.add(entry);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("months", months);
        body.put("cohorts", cohorts);
        return body;
    }

    private static BigDecimal[] zeros(int n) {
        BigDecimal[] out = new BigDecimal[n];
        java.util.Arrays.fill(out, BigDecimal.ZERO);
        return out;
    }

    /** Money as a plain decimal string ("123.45", "0"), the same from both stores. */
    static String money(Object value) {
        BigDecimal amount = value == null ? BigDecimal.ZERO : value instanceof BigDecimal d ? d : new BigDecimal(value.toString());
        return amount.signum() == 0 ? "0" : amount.stripTrailingZeros().toPlainString();
    }

    /** Conditions on the signup time, bound as timestamps: [start 00:00, end + 1 day 00:00). */
    private static String signup(String column, Optional<LocalDate> start, Optional<LocalDate> end, List<QueryParam> params) {
        StringBuilder where = new StringBuilder();
        start.ifPresent(d -> {
            where.append(" AND ").append(column).append(" >= ?");
            params.add(QueryParam.timestamp(d.atStartOfDay().toInstant(ZoneOffset.UTC)));
        });
        end.ifPresent(d -> {
            where.append(" AND ").append(column).append(" < ?");
            params.add(QueryParam.timestamp(d.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC)));
        });
        return where.toString();
    }

    /** A touch: an event with a click, a link or a UTM source or campaign (as for attribution). */
    private static final String TOUCH = "(click_id IS NOT NULL OR link_id IS NOT NULL OR utm_source IS NOT NULL OR utm_campaign IS NOT NULL)";
    private static final String LINKED_TOUCH = "l.click_id IS NOT NULL OR l.link_id IS NOT NULL OR l.utm_source IS NOT NULL OR l.utm_campaign IS NOT NULL";

    /**
     * DuckDB: CTEs {@code c} (the workspace's customers, signup-bounded) and {@code l} (each customer's
     * linked events, once each: UNION drops the duplicates of an event linked twice).
     */
    private static String duckDbLinked(String ws, Optional<LocalDate> start, Optional<LocalDate> end, List<QueryParam> params) {
        params.add(QueryParam.string(ws));
        String customers = "SELECT id, external_id, email_sha256, click_id, created_at FROM customers WHERE workspace_id = ?"
                + signup("created_at", start, end, params);
        params.add(QueryParam.string(ws));
        String events = "SELECT event_id, customer_id, sha256(workspace_id || '|' || email) AS email_sha256, click_id, link_id, event_type,"
                + " event_timestamp, price, quantity, utm_source, utm_campaign FROM customer_events WHERE workspace_id = ?";
        String linkedColumns = "c.id, e.event_id, e.event_type, e.event_timestamp, e.price, e.quantity, e.click_id, e.link_id, e.utm_source, e.utm_campaign";
        return "WITH c AS (" + customers + "), e AS (" + events + "), l AS ("
                + "SELECT " + linkedColumns + " FROM c JOIN e ON e.customer_id = c.external_id"
                + " UNION SELECT " + linkedColumns + " FROM c JOIN e ON e.email_sha256 = c.email_sha256"
                + " UNION SELECT " + linkedColumns + " FROM c JOIN e ON e.click_id = c.click_id)";
    }

    private static String duckDb(String ws, GroupBy groupBy, Optional<LocalDate> start, Optional<LocalDate> end, List<QueryParam> params) {
        String linked = duckDbLinked(ws, start, end, params);
        String cohort = switch (groupBy) {
            case WEEK -> "strftime(date_trunc('week', created_at), '%Y-%m-%d')";
            case MONTH -> "strftime(created_at, '%Y-%m')";
            case CAMPAIGN -> "CASE WHEN coalesce(campaign, '') = '' THEN '" + NONE + "' ELSE campaign END";
            case SOURCE -> "CASE WHEN coalesce(source, '') = '' THEN '" + NONE + "' ELSE source END";
        };
        String key = "strftime(l.event_timestamp, '%Y-%m-%d %H:%M:%S') || l.event_id";
        return linked + ", per_customer AS (SELECT c.id, c.created_at,"
                + " count(l.event_id) FILTER (WHERE l.event_type = 'purchase') AS purchases,"
                + " sum(" + purchaseAmount(StoreDialect.DUCKDB) + ") FILTER (WHERE l.event_type = 'purchase') AS revenue,"
                + " arg_min(coalesce(l.utm_campaign, ''), " + key + ") FILTER (WHERE " + LINKED_TOUCH + ") AS campaign,"
                + " arg_min(coalesce(l.utm_source, ''), " + key + ") FILTER (WHERE " + LINKED_TOUCH + ") AS source"
                + " FROM c LEFT JOIN l ON l.id = c.id GROUP BY c.id, c.created_at)"
                + " SELECT " + cohort + " AS cohort, count(*) AS customers, count(*) FILTER (WHERE purchases > 0) AS converting,"
                + " coalesce(sum(revenue), 0) AS revenue FROM per_customer GROUP BY cohort ORDER BY cohort";
    }

    private static String clickHouse(String ws, GroupBy groupBy, Optional<LocalDate> start, Optional<LocalDate> end, List<QueryParam> params) {
        String cohort = switch (groupBy) {
            case WEEK -> "toString(toMonday(created_at))";
            case MONTH -> "substring(toString(toStartOfMonth(created_at)), 1, 7)";
            case CAMPAIGN -> "if(campaign = '', '" + NONE + "', campaign)";
            case SOURCE -> "if(source = '', '" + NONE + "', source)";
        };
        params.add(QueryParam.string(ws));
        String customers = "SELECT id, created_at FROM customers FINAL WHERE workspace_id = ?" + signup("created_at", start, end, params);
        String key = "concat(toString(event_timestamp), event_id)";
        String perCustomer = "SELECT id, toInt64(countIf(event_type = 'purchase')) AS purchases,"
                + " sumIf(" + purchaseAmount(StoreDialect.CLICKHOUSE) + ", event_type = 'purchase') AS revenue,"
                + " argMinIf(ifNull(utm_campaign, ''), " + key + ", " + TOUCH + ") AS campaign,"
                + " argMinIf(ifNull(utm_source, ''), " + key + ", " + TOUCH + ") AS source"
                + " FROM (" + clickHouseLinked(ws, start, end, params) + ") GROUP BY id";
        return "SELECT " + cohort + " AS cohort, toInt64(count()) AS customers, toInt64(countIf(purchases > 0)) AS converting,"
                + " toDecimal64(sum(revenue), 4) AS revenue FROM (" + customers + ") ALL LEFT JOIN (" + perCustomer + ") USING id"
                + " GROUP BY cohort ORDER BY cohort";
    }

    /**
     * A purchase event's amount, price × quantity (1 when absent), over unqualified event columns; on
     * ClickHouse as Decimal(18, 4) arithmetic (a missing price counts 0 there, and is NULL, skipped by sum, on DuckDB).
     */
    static String purchaseAmount(StoreDialect dialect) {
        return dialect == StoreDialect.CLICKHOUSE ? "toDecimal64(ifNull(price, toDecimal64(0, 4)), 4) * ifNull(quantity, 1)"
                : "price * coalesce(quantity, 1)";
    }

    /**
     * ClickHouse: each customer's linked events (columns id and the event's), once each. 18.16 has one
     * JOIN per SELECT and no Nullable join keys: each identity is its own join on a non-null copy of
     * the key; {@code LIMIT 1 BY} drops an event linked twice and replayed copies not merged yet.
     */
    private static String clickHouseLinked(String ws, Optional<LocalDate> start, Optional<LocalDate> end, List<QueryParam> params) {
        String eventColumns = "event_id, event_type, event_timestamp, price, quantity, click_id, link_id, utm_source, utm_campaign";
        List<String> links = new ArrayList<>();
        // {customer column, event column, event key expression}: the email links through its salted hash, which outlives a delete
        String[][] identities = {{"external_id", "customer_id", "assumeNotNull(customer_id)"},
                {"email_sha256", "email", "lower(hex(SHA256(concat(workspace_id, '|', assumeNotNull(email)))))"},
                {"click_id", "click_id", "assumeNotNull(click_id)"}};
        for (String[] identity : identities) {
            params.add(QueryParam.string(ws));
            String customersSide = "SELECT id, assumeNotNull(" + identity[0] + ") AS link FROM customers FINAL WHERE workspace_id = ?"
                    + " AND " + identity[0] + " IS NOT NULL" + signup("created_at", start, end, params);
            params.add(QueryParam.string(ws));
            String eventsSide = "SELECT " + identity[2] + " AS link, " + eventColumns + " FROM customer_events"
                    + " WHERE workspace_id = ? AND " + identity[1] + " IS NOT NULL";
            links.add("SELECT id, " + eventColumns + " FROM (" + customersSide + ") ALL INNER JOIN (" + eventsSide + ") USING link");
        }
        return "SELECT * FROM (" + String.join(" UNION ALL ", links) + ") LIMIT 1 BY id, event_id";
    }
}
