package io.tributary.query.pipes;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tributary.platform.auth.Principal;
import io.tributary.platform.auth.RequestAuth;
import io.tributary.platform.auth.Scope;
import io.tributary.platform.http.ApiException;
import io.tributary.platform.http.HttpRoutes;
import io.tributary.query.StoreCalls;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Tinybird's pipe endpoints: {@code GET /v0/pipes/{name}.json|.csv|.ndjson} runs a pipe,
 * {@code GET /v0/pipes/{name}} describes one, {@code GET /v0/pipes} lists those the token may read.
 * Tokens come as {@code Authorization: Bearer} or, as in Tinybird, {@code ?token=}.
 */
public final class PipeRoutes implements HttpRoutes {
    static final String TIMER = "tributary.pipe.requests";
    private static final String FORMATS = Arrays.stream(PipeOutputFormat.values()).map(f -> "." + f.suffix())
            .collect(Collectors.joining(", "));

    private final PipeEngine engine;
    private final RequestAuth auth;
    private final MeterRegistry metrics;

    public PipeRoutes(PipeEngine engine, RequestAuth auth, MeterRegistry metrics) {
        this.engine = Objects.requireNonNull(engine);
        this.auth = Objects.requireNonNull(auth);
        this.metrics = Objects.requireNonNull(metrics);
    }

    @Override
    public void mount(Javalin app) {
        app.get("/v0/pipes", this::listPipes);
        app.get("/v0/pipes/{file}", this::pipeFile);
    }

    private void listPipes(Context ctx) {
        Principal caller = auth.authenticate(ctx, true);
        ctx.json(Map.of("pipes", engine.catalog().all().stream()
                .filter(pipe -> caller.can(Scope.pipesRead(pipe.name())))
                .map(PipeRoutes::describe)
                .toList()));
    }

    private void pipeFile(Context ctx) throws IOException {
        String file = ctx.pathParam("file");
        int dot = file.lastIndexOf('.');
        if (dot < 0) {
            auth.require(ctx, Scope.pipesRead(file), true);
            ctx.json(describe(pipe(file)));
            return;
        }
        String name = file.substring(0, dot);
        PipeOutputFormat format = PipeOutputFormat.bySuffix(file.substring(dot + 1)).orElseThrow(() -> ApiException.notFound(
                "unknown format '" + file.substring(dot + 1) + "': pipes answer as " + FORMATS));
        Principal caller = auth.require(ctx, Scope.pipesRead(name), true);
        runPipe(ctx, name, format, caller);
    }

    private void runPipe(Context ctx, String name, PipeOutputFormat format, Principal caller) throws IOException {
        Timer.Sample sample = Timer.start(metrics);
        String outcome = "error";
        try {
            PipeResult result = query(ctx, name, caller);
            ctx.status(200).contentType(format.contentType());
            format.write(result, ctx.outputStream());
            outcome = "success";
        } catch (ApiException e) {
            outcome = switch (e.status()) {
                case 400 -> "invalid_request";
                case 503 -> "unavailable";
                default -> "error";
            };
            throw e;
        } finally {
            // unknown pipe names are not tagged, so that callers cannot grow the metric without bound
            if (engine.catalog().find(name).isPresent()) {
                sample.stop(Timer.builder(TIMER)
                        .description("Pipe requests: validation, store query and rendering")
                        .tags("pipe", name, "format", format.suffix(), "outcome", outcome)
                        .register(metrics));
            }
        }
    }

    /** Runs the pipe; store failures become errors that tell callers what to do and leak no SQL. */
    private PipeResult query(Context ctx, String name, Principal caller) {
        return StoreCalls.read(ctx, "pipe " + name, () -> engine.run(name, caller.workspaceId(), ctx.queryParamMap()));
    }

    private PipeDefinition pipe(String name) {
        return engine.catalog().find(name).orElseThrow(() -> ApiException.notFound("no pipe named '" + name + "'"));
    }

    private static Map<String, Object> describe(PipeDefinition pipe) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", pipe.name());
        out.put("description", pipe.description());
        Map<String, String> endpoints = new LinkedHashMap<>();
        for (PipeOutputFormat format : PipeOutputFormat.values()) {
            endpoints.put(format.suffix(), "/v0/pipes/" + pipe.name() + "." + format.suffix());
        }
        out.put("endpoints", endpoints);
        out.put("params", pipe.params().stream().map(PipeRoutes::describe).toList());
        return out;
    }

    private static Map<String, Object> describe(PipeParam param) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", param.name());
        out.put("type", param.type().typeName());
        out.put("required", param.required());
        param.defaultText().ifPresent(d -> out.put("default", d));
        param.min().ifPresent(m -> out.put("min", m));
        param.max().ifPresent(m -> out.put("max", m));
        if (!param.allowedValues().isEmpty()) {
            out.put("values", param.allowedValues());
        }
        out.put("description", param.description());
        return out;
    }
}
