package io.tributary.query.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.platform.store.AnalyticsStore;
import io.tributary.platform.store.BoundQuery;
import io.tributary.platform.store.QueryParam;
import io.tributary.platform.store.StoreDialect;
import io.tributary.platform.store.StoreTables;
import io.tributary.query.entities.EntityReadSpec;
import io.tributary.query.entities.NumberedPage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads of seed 004's results from the store: a customer's latest health score (with its
 * components) and a workspace's notifications, newest first. Values are always bound.
 */
public final class HealthReads {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCORE_COLUMNS = "external_id, name, owner_email, score, band, previous_score, score_change, components, "
            + "cause, upload_id, scored_at";
    private static final String NOTIFICATION_COLUMNS = "notification_id, kind, upload_id, customers, recipients, message, created_at";

    private final AnalyticsStore store;

    public HealthReads(AnalyticsStore store) {
        this.store = Objects.requireNonNull(store);
    }

    /** The customer's latest score as the API shows it; empty when it has never been scored. */
    public Optional<Map<String, Object>> score(String workspaceId, String externalId) {
        String sql = "SELECT " + SCORE_COLUMNS + " FROM " + StoreTables.HEALTH_SCORES.name() + final_()
                + " WHERE workspace_id = ? AND external_id = ? ORDER BY version DESC LIMIT 1";
        List<List<Object>> rows = store.query(new BoundQuery(sql, List.of(QueryParam.string(workspaceId), QueryParam.string(externalId)))).rows();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        List<Object> r = rows.get(0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("external_id", r.get(0));
        out.put("name", r.get(1));
        out.put("owner_email", r.get(2));
        out.put("score", r.get(3));
        out.put("band", r.get(4));
        out.put("previous_score", r.get(5));
        out.put("change", r.get(6));
        out.put("components", components((String) r.get(7)));
        out.put("cause", r.get(8));
        out.put("upload_id", r.get(9));
        out.put("scored_at", EntityReadSpec.instant(r.get(10)).toString());
        return Optional.of(out);
    }

    /** A page of the workspace's notifications, newest first; only those addressed to {@code recipient} when given. */
    public NumberedPage<Map<String, Object>> notifications(String workspaceId, Optional<String> recipient, int page, int limit) {
        List<QueryParam> params = new ArrayList<>(List.of(QueryParam.string(workspaceId)));
        String where = " WHERE workspace_id = ?";
        if (recipient.isPresent()) {
            where += store.dialect() == StoreDialect.CLICKHOUSE ? " AND has(recipients, ?)" : " AND list_contains(recipients, ?)";
            params.add(QueryParam.string(recipient.get()));
        }
        String from = " FROM " + StoreTables.NOTIFICATIONS.name() + final_() + where;
        List<List<Object>> rows = store.query(new BoundQuery("SELECT " + NOTIFICATION_COLUMNS + from
                + " ORDER BY created_at DESC, notification_id" + NumberedPage.limitOffset(page, limit), params)).rows();
        long total = ((Number) store.query(new BoundQuery("SELECT count(*)" + from, params)).rows().get(0).get(0)).longValue();
        List<Map<String, Object>> data = new ArrayList<>();
        for (List<Object> r : rows) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("id", r.get(0));
            n.put("kind", r.get(1));
            n.put("upload_id", r.get(2));
            n.put("customers", r.get(3));
            n.put("recipients", r.get(4));
            n.put("message", r.get(5));
            n.put("created_at", EntityReadSpec.instant(r.get(6)).toString());
            data.add(n);
        }
        return new NumberedPage<>(data, page, limit, total);
    }

    private String final_() {
        return store.dialect() == StoreDialect.CLICKHOUSE ? " FINAL" : "";
    }

    private static JsonNode components(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored components are not JSON: " + json, e);
        }
    }
}
