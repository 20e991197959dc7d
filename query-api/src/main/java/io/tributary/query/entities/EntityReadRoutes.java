package io.tributary.query.entities;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.tributary.platform.auth.Principal;
import io.tributary.platform.auth.RequestAuth;
import io.tributary.platform.http.ApiException;
import io.tributary.platform.http.HttpRoutes;
import io.tributary.platform.http.PageRequest;
import io.tributary.platform.http.QueryParams;
import io.tributary.query.StoreCalls;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The read routes of one Fin X resource: {@code GET <path>} lists ({@code {"has_more", "data"}},
 * newest first, {@code limit} 1–100 default 10, {@code starting_after}/{@code ending_before} by id,
 * the seed's filters) and {@code GET <path>/{id}} retrieves; another workspace's id is 404.
 */
public final class EntityReadRoutes implements HttpRoutes {
    private static final List<String> PAGE_PARAMS = List.of("limit", "starting_after", "ending_before");

    private final EntityReads reads;
    private final RequestAuth auth;

    public EntityReadRoutes(EntityReads reads, RequestAuth auth) {
        this.reads = Objects.requireNonNull(reads);
        this.auth = Objects.requireNonNull(auth);
    }

    @Override
    public void mount(Javalin app) {
        String path = reads.spec().path();
        app.get(path, this::list);
        app.get(path + "/{id}", this::retrieve);
    }

    private void list(Context ctx) {
        Principal principal = auth.require(ctx, reads.spec().readScope());
        Map<String, List<String>> query = ctx.queryParamMap();
        QueryParams.allowOnly(query, Stream.concat(PAGE_PARAMS.stream(), reads.spec().filters().keySet().stream()).toList());
        PageRequest page = PageRequest.fromQuery(query);
        Map<String, String> filters = new LinkedHashMap<>();
        for (String filter : reads.spec().filters().keySet()) {
            QueryParams.nonBlank(query, filter).ifPresent(value -> filters.put(filter, value));
        }
        EntityReads.Page result = StoreCalls.read(ctx, "list " + reads.spec().path(), () -> reads.list(principal.workspaceId(), page, filters));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("has_more", result.hasMore());
        body.put("data", result.data());
        ctx.json(body);
    }

    private void retrieve(Context ctx) {
        Principal principal = auth.require(ctx, reads.spec().readScope());
        String id = ctx.pathParam("id");
        Object view = StoreCalls.read(ctx, "retrieve " + reads.spec().path(), () -> reads.get(principal.workspaceId(), id))
                .orElseThrow(() -> ApiException.notFound("no " + reads.spec().noun() + " with id '" + id + "'"));
        ctx.json(view);
    }
}
