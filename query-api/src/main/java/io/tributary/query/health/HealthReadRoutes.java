package io.tributary.query.health;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.tributary.platform.auth.Principal;
import io.tributary.platform.auth.RequestAuth;
import io.tributary.platform.auth.Scope;
import io.tributary.platform.health.HealthSettings;
import io.tributary.platform.health.HealthSettingsStore;
import io.tributary.platform.http.ApiException;
import io.tributary.platform.http.HttpRoutes;
import io.tributary.platform.http.QueryParams;
import io.tributary.query.StoreCalls;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The read side of seed 004: {@code GET /api/v1/customers/{external_id}/health} (the latest score,
 * its band, components and change) and {@code GET /api/v1/notifications} (page from 1, limit default
 * 20 max 100, optional recipient), scope analytics:read; the key comes as {@code customerscore-key},
 * as for the upload, or as a bearer token.
 */
public final class HealthReadRoutes implements HttpRoutes {
    static final String KEY_HEADER = "customerscore-key";
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private final HealthReads reads;
    private final HealthSettingsStore settings;
    private final RequestAuth auth;

    public HealthReadRoutes(HealthReads reads, HealthSettingsStore settings, RequestAuth auth) {
        this.reads = Objects.requireNonNull(reads);
        this.settings = Objects.requireNonNull(settings);
        this.auth = Objects.requireNonNull(auth);
    }

    @Override
    public void mount(Javalin app) {
        app.get("/api/v1/customers/{external_id}/health", this::health);
        app.get("/api/v1/notifications", this::notifications);
    }

    private void health(Context ctx) {
        Principal caller = auth.requireKeyOrToken(ctx, KEY_HEADER, Scope.ANALYTICS_READ);
        QueryParams.allowOnly(ctx.queryParamMap(), List.of());
        String externalId = ctx.pathParam("external_id");
        Map<String, Object> score = new LinkedHashMap<>(StoreCalls.read(ctx, "health score", () -> reads.score(caller.workspaceId(), externalId))
                .orElseThrow(() -> ApiException.notFound("customer '" + externalId + "' has no health score (yet): upload it with POST /api/v1/customers")));
        score.put("owner", owner((String) score.get("owner_email"), settings.get(caller.workspaceId())));
        ctx.json(score);
    }

    /** The owner an upload named, linked to the workspace member with that email when there is one (seed 004). */
    private static Map<String, Object> owner(String email, HealthSettings workspace) {
        if (email == null) {
            return null;
        }
        Optional<HealthSettings.Member> member = workspace.member(email);
        Map<String, Object> owner = new LinkedHashMap<>();
        owner.put("email", email);
        owner.put("member", member.isPresent());
        owner.put("name", member.map(HealthSettings.Member::name).orElse(null));
        return owner;
    }

    private void notifications(Context ctx) {
        Principal caller = auth.requireKeyOrToken(ctx, KEY_HEADER, Scope.ANALYTICS_READ);
        Map<String, List<String>> query = ctx.queryParamMap();
        QueryParams.allowOnly(query, List.of("page", "limit", "recipient"));
        int page = QueryParams.integer(query, "page", 1, 1, 1_000_000);
        int limit = QueryParams.integer(query, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        Optional<String> recipient = QueryParams.nonBlank(query, "recipient");
        ctx.json(StoreCalls.read(ctx, "notifications", () -> reads.notifications(caller.workspaceId(), recipient, page, limit)).body(Map.of()));
    }
}
