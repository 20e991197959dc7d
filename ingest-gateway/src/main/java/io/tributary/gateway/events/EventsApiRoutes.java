package io.tributary.gateway.events;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.tributary.platform.auth.Principal;
import io.tributary.platform.auth.RequestAuth;
import io.tributary.platform.auth.Scope;
import io.tributary.platform.http.ApiException;
import io.tributary.platform.http.HttpRoutes;
import io.tributary.platform.http.HttpServer;
import io.tributary.schemas.Datasource;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@code POST /v0/events?name=<datasource>[&wait=true]}: Tinybird's Events API. Answers
 * 202 {@code {"successful_rows", "quarantined_rows"[, "quarantine"]}} once Kafka acknowledged every
 * row; 200 with the same body when {@code wait=true} and the store sink applied the rows; 202 with
 * a {@code "warning"} when that wait timed out; 400 when every row was invalid.
 */
public final class EventsApiRoutes implements HttpRoutes {
    public static final String PATH = "/v0/events";

    private final EventsService service;
    private final RequestAuth auth;
    private final EventsLimits limits;

    public EventsApiRoutes(EventsService service, RequestAuth auth, EventsLimits limits) {
        this.service = Objects.requireNonNull(service);
        this.auth = Objects.requireNonNull(auth);
        this.limits = Objects.requireNonNull(limits);
    }

    @Override
    public void mount(Javalin app) {
        app.post(PATH, this::append);
    }

    private void append(Context ctx) {
        String name = ctx.queryParam("name");
        if (name == null || name.isBlank()) {
            throw ApiException.invalidParam("name", "is required: the datasource to append to");
        }
        boolean wait = waitParam(ctx.queryParam("wait"));
        Principal principal = auth.require(ctx, Scope.eventsAppend(name));
        Datasource datasource = service.datasource(name)
                .orElseThrow(() -> ApiException.notFound("no datasource named '" + name + "'"));
        EventsBody body = EventsBody.read(ctx.bodyInputStream(), ctx.req().getContentLengthLong(),
                ctx.header("Content-Encoding"), limits);
        AppendResult result = service.append(
                new AppendRequest(principal.workspaceId(), datasource, body, HttpServer.requestId(ctx), wait));
        render(ctx, result);
    }

    private static boolean waitParam(String value) {
        if (value == null) {
            return false;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0", "" -> false;
            default -> throw ApiException.invalidParam("wait", "must be true or false");
        };
    }

    private static void render(Context ctx, AppendResult result) {
        if (result.allRejected()) {
            throw ApiException.badRequest("all " + result.quarantinedRows() + " rows were invalid; they were written to"
                    + " the quarantine topic (details list the first " + EventsService.MAX_REPORTED_PROBLEMS + ")",
                    result.problems());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("successful_rows", result.successfulRows());
        body.put("quarantined_rows", result.quarantinedRows());
        if (!result.problems().isEmpty()) {
            body.put("quarantine", result.problems());
        }
        if (result.visibility() == AppendResult.Visibility.NOT_CONFIRMED) {
            body.put("warning", "the rows are accepted and durable, but the store had not applied them within the"
                    + " wait timeout: they may not be visible to queries yet");
        }
        ctx.status(result.visibility() == AppendResult.Visibility.CONFIRMED ? 200 : 202).json(body);
    }
}
