package io.tributary.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.platform.metrics.Metrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpServerIT {
    private static HttpServer server;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static volatile boolean storeUp = true;

    @BeforeAll
    static void start() {
        PrometheusMeterRegistry metrics = Metrics.prometheusRegistry();
        server = HttpServer.start("127.0.0.1", 0, 1024, metrics,
                List.of(new ReadinessCheck("store", () -> {
                    if (!storeUp) {
                        throw new IllegalStateException("store down");
                    }
                })),
                List.of(app -> {
                    app.get("/boom", ctx -> {
                        throw new IllegalStateException("secret internals");
                    });
                    app.get("/bad", ctx -> {
                        throw ApiException.invalidParam("limit", "must be an integer");
                    });
                    app.post("/echo", ctx -> ctx.result(ctx.body()));
                    app.get("/items/{id}", ctx -> ctx.result(ctx.pathParam("id")));
                }));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void rendersApiErrorsWithCodeAndDetails() throws Exception {
        HttpResponse<String> r = get("/bad");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"error\":{\"code\":\"INVALID_PARAMETER\",\"message\":\"parameter 'limit' must be an integer\",\"details\":[{\"field\":\"limit\",\"message\":\"must be an integer\"}]}}");
        assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
    }

    @Test
    void hidesInternalsOfUnexpectedErrors() throws Exception {
        HttpResponse<String> r = get("/boom");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).contains("INTERNAL").doesNotContain("secret internals").doesNotContain("IllegalStateException");
    }

    @Test
    void unknownRoutesAre404InTheErrorShape() throws Exception {
        HttpResponse<String> r = get("/nope");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("\"code\":\"NOT_FOUND\"");
        // the shape is the same for every error: details is [] when there is nothing more precise
        assertThat(r.body()).endsWith(",\"details\":[]}}");
    }

    @Test
    void oversizedBodiesAre413() throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/echo"))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(5000))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("PAYLOAD_TOO_LARGE");
    }

    @Test
    void healthReadyAndMetrics() throws Exception {
        assertThat(get("/health").statusCode()).isEqualTo(200);
        assertThat(get("/ready").statusCode()).isEqualTo(200);
        storeUp = false;
        try {
            HttpResponse<String> r = get("/ready");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("store down");
        } finally {
            storeUp = true;
        }
        get("/items/42");
        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("http_server_requests_seconds_count{method=\"GET\",route=\"/items/{id}\",status=\"200\"}");
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");
    }
}
