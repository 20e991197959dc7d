package io.tributary.platform.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP server of a process: mounts the routes of the roles it runs, renders every error
 * as {@code {"error": {...}}}, tags each request with an id, times requests by route and status,
 * and serves {@code /health}, {@code /ready} and {@code /metrics}.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    public static final String REQUEST_ID = "requestId";
    /** Liveness: 200 while the server runs, whatever Kafka or the store do. Deployment files probe it. */
    public static final String HEALTH_PATH = "/health";
    /** Readiness: 200 once the process's checks (Kafka, store, streams) pass, 503 otherwise. */
    public static final String READY_PATH = "/ready";
    /** Prometheus scrape endpoint. */
    public static final String METRICS_PATH = "/metrics";
    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Javalin app;

    private HttpServer(Javalin app) {
        this.app = app;
    }

    /**
     * Starts the server on {@code host:port} (port 0: any free port). {@code maxBodyBytes}
     * bounds bodies read with {@code ctx.body()}; streaming routes enforce their own limit.
     */
    public static HttpServer start(String host, int port, long maxBodyBytes, PrometheusMeterRegistry metrics,
                                   List<ReadinessCheck> readiness, List<HttpRoutes> routes) {
        ObjectMapper mapper = Json.newMapper();
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.jsonMapper(new JavalinJackson(mapper, false));
            config.http.maxRequestSize = maxBodyBytes;
            config.router.ignoreTrailingSlashes = true;
            config.requestLogger.http((ctx, ms) -> recordRequest(metrics, ctx, ms));
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonBadMessageHandler()));
        });
        app.before(ctx -> {
            String incoming = ctx.header("X-Request-Id");
            String id = incoming != null && SAFE_REQUEST_ID.matcher(incoming).matches()
                    ? incoming : UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            ctx.attribute(REQUEST_ID, id);
            ctx.header("X-Request-Id", id);
        });
        app.exception(ApiException.class, (e, ctx) -> renderError(ctx, e));
        app.exception(HttpResponseException.class, (e, ctx) -> renderError(ctx, fromJavalin(e)));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("request {} {} failed (request id {})", ctx.method(), ctx.path(), ctx.attribute(REQUEST_ID), e);
            renderError(ctx, new ApiException(500, "INTERNAL", "internal error; request id " + ctx.attribute(REQUEST_ID), List.of()));
        });
        app.get(HEALTH_PATH, ctx -> ctx.json(Map.of("status", "UP")));
        app.get(READY_PATH, ctx -> ready(ctx, readiness));
        app.get(METRICS_PATH, ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        routes.forEach(r -> r.mount(app));
        app.start(host, port);
        LOG.info("HTTP server listening on {}:{}", host, app.port());
        return new HttpServer(app);
    }

    public int port() {
        return app.port();
    }

    public Javalin javalin() {
        return app;
    }

    @Override
    public void close() {
        app.stop();
    }

    public static String requestId(Context ctx) {
        return Objects.requireNonNullElse(ctx.attribute(REQUEST_ID), "-");
    }

    public static void renderError(Context ctx, ApiException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", e.code());
        error.put("message", e.getMessage());
        error.put("details", e.details()); // always there, [] when nothing more precise: one shape for clients (DESIGN §6)
        e.retryAfterSeconds().ifPresent(s -> ctx.header("Retry-After", Integer.toString(s)));
        ctx.status(e.status()).json(Map.of("error", error));
    }

    private static ApiException fromJavalin(HttpResponseException e) {
        int status = e.getStatus();
        String code = switch (status) {
            case 400 -> "BAD_REQUEST";
            case 401 -> "UNAUTHORIZED";
            case 403 -> "FORBIDDEN";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 503 -> "SERVICE_UNAVAILABLE";
            default -> "HTTP_" + status;
        };
        String message = status == 404 ? "no such route" : e.getMessage();
        return new ApiException(status, code, message, List.of());
    }

    private static void ready(Context ctx, List<ReadinessCheck> checks) {
        ReadinessCheck.Results results = ReadinessCheck.runAll(checks);
        ctx.status(results.ready() ? 200 : 503).json(Map.of("status", results.status(), "checks", results.checks()));
    }

    private static void recordRequest(PrometheusMeterRegistry metrics, Context ctx, Float ms) {
        String route;
        try {
            route = ctx.endpointHandlerPath();
        } catch (RuntimeException e) {
            route = "UNMATCHED";
        }
        if (route == null || route.isEmpty() || route.equals("*")) {
            route = "UNMATCHED";
        }
        String status = Integer.toString(ctx.statusCode());
        Timer.builder("http.server.requests")
                .description("HTTP requests by route and status")
                .tags("method", ctx.method().name(), "route", route, "status", status)
                .publishPercentileHistogram(false)
                .register(metrics)
                .record((long) (ms * 1_000_000L), TimeUnit.NANOSECONDS);
        if (ctx.statusCode() >= 500) {
            Counter.builder("http.server.errors").tags("route", route, "status", status).register(metrics).increment();
        }
    }
}
