package io.tributary.gateway.entities;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.tributary.platform.auth.Principal;
import io.tributary.platform.auth.RequestAuth;
import io.tributary.platform.auth.Scope;
import io.tributary.platform.auth.Workspaces;
import io.tributary.platform.entities.CustomerView;
import io.tributary.platform.http.HttpRoutes;
import io.tributary.platform.http.RequestFields;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The write routes of seed 003's customers: {@code POST /customers} (create-or-upsert by
 * externalId: 201 created, 200 updated), {@code PATCH /customers/{id}} and {@code DELETE
 * /customers/{id}} (soft delete), ids or {@code ext_<externalId>}. Every route needs the
 * workspace's {@value Workspaces#REVENUE_TRACKING} entitlement, besides its scope.
 */
final class CustomerWriteRoutes implements HttpRoutes {
    private static final Set<String> LIST_FIELDS = Set.of("piiAttributes");
    private static final Set<String> MAP_FIELDS = Set.of("attributes");

    private final CustomerWrites writes;
    private final RequestAuth auth;
    private final Workspaces workspaces;

    CustomerWriteRoutes(CustomerWrites writes, RequestAuth auth, Workspaces workspaces) {
        this.writes = Objects.requireNonNull(writes);
        this.auth = Objects.requireNonNull(auth);
        this.workspaces = Objects.requireNonNull(workspaces);
    }

    @Override
    public void mount(Javalin app) {
        app.post(CustomerView.PATH, this::upsert);
        app.patch(CustomerView.PATH + "/{id}", this::update);
        app.delete(CustomerView.PATH + "/{id}", this::delete);
    }

    private void upsert(Context ctx) {
        CustomerWrites.Written written = writes.upsert(caller(ctx, Scope.LINKS_CREATE).workspaceId(), fields(ctx));
        render(ctx, written, written.created() ? 201 : 200);
        if (written.created()) {
            ctx.header("Location", CustomerView.PATH + "/" + written.view().id());
        }
    }

    private void update(Context ctx) {
        render(ctx, writes.update(caller(ctx, Scope.LINKS_UPDATE).workspaceId(), ctx.pathParam("id"), fields(ctx)), 200);
    }

    private void delete(Context ctx) {
        CustomerWrites.Written written = writes.delete(caller(ctx, Scope.LINKS_DELETE).workspaceId(), ctx.pathParam("id"));
        EntityWriteRoutes.warnUnlessVisible(ctx, written.visible());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", written.view().id());
        body.put("externalId", written.view().externalId());
        body.put("deleted", true);
        ctx.json(body);
    }

    private Principal caller(Context ctx, Scope scope) {
        return workspaces.requireEntitled(auth, ctx, scope, Workspaces.REVENUE_TRACKING);
    }

    private static RequestFields fields(Context ctx) {
        return RequestFields.parse(ctx.contentType(), ctx.body(), LIST_FIELDS, MAP_FIELDS);
    }

    private static void render(Context ctx, CustomerWrites.Written written, int status) {
        EntityWriteRoutes.warnUnlessVisible(ctx, written.visible());
        ctx.status(status).json(written.view());
    }
}
