package io.tributary.platform.auth;

import io.javalin.http.Context;
import io.tributary.platform.http.ApiException;
import io.tributary.platform.http.HttpRoutes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import io.tributary.platform.kafka.KafkaCalls;

/**
 * Entitlements of workspaces: {@code PUT} / {@code DELETE /v0/workspaces/{id}/entitlements/{name}}
 * grant and revoke (gateway role; the operator admin token only, since entitlements are what a
 * plan sells), {@code GET /v0/workspaces/{id}} shows them (query role; the workspace's own admin
 * tokens or the operator).
 */
public final class WorkspaceRoutes {
    public static final String PATH = "/v0/workspaces";

    private final Workspaces workspaces;
    private final RequestAuth auth;

    private WorkspaceRoutes(Workspaces workspaces, RequestAuth auth) {
        this.workspaces = Objects.requireNonNull(workspaces);
        this.auth = Objects.requireNonNull(auth);
    }

    public static HttpRoutes writes(Workspaces workspaces, RequestAuth auth) {
        WorkspaceRoutes routes = new WorkspaceRoutes(workspaces, auth);
        return app -> {
            app.put(PATH + "/{workspace}/entitlements/{entitlement}", ctx -> routes.set(ctx, true));
            app.delete(PATH + "/{workspace}/entitlements/{entitlement}", ctx -> routes.set(ctx, false));
        };
    }

    public static HttpRoutes reads(Workspaces workspaces, RequestAuth auth) {
        WorkspaceRoutes routes = new WorkspaceRoutes(workspaces, auth);
        return app -> app.get(PATH + "/{workspace}", routes::show);
    }

    private void set(Context ctx, boolean granted) {
        Principal caller = auth.require(ctx, Scope.ADMIN);
        if (!TokenAdmin.isOperator(caller)) {
            throw ApiException.forbidden("only the operator admin token may grant or revoke entitlements");
        }
        String workspace = workspaceParam(ctx);
        String entitlement = ctx.pathParam("entitlement");
        if (!Workspaces.KNOWN_ENTITLEMENTS.contains(entitlement)) {
            throw ApiException.invalidParam("entitlement", "'" + entitlement + "' is not an entitlement (known: "
                    + String.join(", ", Workspaces.KNOWN_ENTITLEMENTS) + ")");
        }
        ctx.json(render(kafka(() -> workspaces.set(workspace, entitlement, granted))));
    }

    private void show(Context ctx) {
        Principal caller = auth.require(ctx, Scope.ADMIN);
        String workspace = workspaceParam(ctx);
        if (!workspace.equals(caller.workspaceId()) && !TokenAdmin.isOperator(caller)) {
            throw ApiException.forbidden("only the operator admin token may read another workspace");
        }
        ctx.json(render(kafka(() -> workspaces.find(workspace)).orElse(workspaces.get(workspace))));
    }

    private static String workspaceParam(Context ctx) {
        String workspace = ctx.pathParam("workspace");
        if (!TokenAdmin.WORKSPACE_ID.matcher(workspace).matches()) {
            throw ApiException.invalidParam("workspace", TokenAdmin.WORKSPACE_ID_RULE);
        }
        return workspace;
    }

    private static Map<String, Object> render(Workspaces.WorkspaceRecord record) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("workspace_id", record.workspaceId());
        body.put("entitlements", record.entitlements());
        return body;
    }

    private static <T> T kafka(Supplier<T> call) {
        return KafkaCalls.orUnavailable("the workspace store", call);
    }
}
