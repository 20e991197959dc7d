package io.tributary.gateway.entities;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.tributary.platform.auth.Principal;
import io.tributary.platform.auth.RequestAuth;
import io.tributary.platform.http.HttpRoutes;
import io.tributary.platform.http.RequestFields;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * The write routes of one Fin X resource: {@code POST <path>} (201 + Location), {@code PUT
 * <path>/{id}} (200, partial update), {@code DELETE <path>/{id}} (204). Bodies are JSON objects or
 * form fields. A write the store had not applied within the wait still succeeds (it is durable in
 * Kafka) and says so in a {@code Warning} header.
 */
final class EntityWriteRoutes<T extends SpecificRecord> implements HttpRoutes {
    static final String NOT_YET_VISIBLE = "199 tributary \"accepted and durable in Kafka, but the store had not applied it"
            + " within the wait timeout: reads may not show it yet\"";

    private final EntityWrites<T> writes;
    private final RequestAuth auth;

    EntityWriteRoutes(EntityWrites<T> writes, RequestAuth auth) {
        this.writes = Objects.requireNonNull(writes);
        this.auth = Objects.requireNonNull(auth);
    }

    @Override
    public void mount(Javalin app) {
        String path = writes.codec().path();
        app.post(path, this::create);
        app.put(path + "/{id}", this::update);
        app.delete(path + "/{id}", this::delete);
    }

    private void create(Context ctx) {
        Principal principal = auth.require(ctx, writes.codec().createScope());
        EntityWrites.Written written = writes.create(principal.workspaceId(), fields(ctx));
        render(ctx, written, 201);
    }

    private void update(Context ctx) {
        Principal principal = auth.require(ctx, writes.codec().updateScope());
        render(ctx, writes.update(principal.workspaceId(), ctx.pathParam("id"), fields(ctx)), 200);
    }

    private void delete(Context ctx) {
        Principal principal = auth.require(ctx, writes.codec().deleteScope());
        warnUnlessVisible(ctx, writes.delete(principal.workspaceId(), ctx.pathParam("id")));
        ctx.status(204);
    }

    private static RequestFields fields(Context ctx) {
        return RequestFields.parse(ctx.contentType(), ctx.body());
    }

    private void render(Context ctx, EntityWrites.Written written, int status) {
        warnUnlessVisible(ctx, written.visible());
        if (status == 201) {
            ctx.header("Location", writes.codec().path() + "/" + written.id());
        }
        ctx.status(status).json(written.view());
    }

    /** A write the store had not applied within the wait still succeeded (it is durable in Kafka): the answer says so. */
    static void warnUnlessVisible(Context ctx, boolean visible) {
        if (!visible) {
            ctx.header("Warning", NOT_YET_VISIBLE);
        }
    }
}
