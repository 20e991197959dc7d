package io.tributary.gateway.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.schemas.registry.SchemaRegistry;
import io.tributary.platform.auth.Principal;
import io.tributary.platform.auth.RequestAuth;
import io.tributary.platform.auth.Scope;
import io.tributary.platform.http.HttpServer;
import io.tributary.platform.http.Json;
import io.tributary.platform.kafka.ConsumerGroupProgress;
import io.tributary.platform.kafka.KafkaClients;
import io.tributary.platform.metrics.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A real gateway for integration tests: the Events API on a real HTTP server on a free port,
 * producing to a real broker; tokens from an in-test table; an HTTP client; readers of topics.
 */
final class GatewayHarness implements AutoCloseable {
    static final ObjectMapper JSON = Json.newMapper();

    /** A token and the workspace it belongs to. */
    record Caller(String workspace, String token) {
        String keyPrefix() {
            return workspace + "|";
        }
    }

    final KafkaClients clients;
    final SchemaRegistry registry;
    final PrometheusMeterRegistry meters = Metrics.prometheusRegistry();
    final EventsApi events;
    final HttpServer server;
    private final Map<String, Principal> tokens = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    GatewayHarness(KafkaClients clients, SchemaRegistry registry, ConsumerGroupProgress progress, EventsLimits limits) {
        this.clients = clients;
        this.registry = registry;
        this.events = new EventsApi(clients, registry, new RequestAuth(t -> java.util.Optional.ofNullable(tokens.get(t))),
                progress, meters, limits);
        this.server = HttpServer.start("127.0.0.1", 0, limits.maxBodyBytes(), meters, List.of(), List.of(events.routes()));
    }

    /** A new workspace and a token of it holding {@code scopes}. */
    Caller caller(String... scopes) {
        String workspace = "ws-" + UUID.randomUUID().toString().substring(0, 8);
        String token = "tok-" + UUID.randomUUID();
        Set<Scope> parsed = Arrays.stream(scopes).map(Scope::parse).collect(Collectors.toSet());
        tokens.put(token, new Principal(workspace, "id-" + token.substring(4, 12), parsed));
        return new Caller(workspace, token);
    }

    HttpRequest.Builder request(String query, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v0/events" + query))
                .timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    HttpResponse<String> post(String query, String token, String body) {
        return send(request(query, token).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build());
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every record of {@code topic} whose key starts with {@code keyPrefix}, decoded, reading the
     * whole topic up to its current end (so a test sees exactly what its request wrote).
     */
    <T> List<T> read(String topic, String keyPrefix, Function<ConsumerRecord<String, byte[]>, T> decode) {
        List<T> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = clients.standaloneConsumer("reader-" + UUID.randomUUID(),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end " + end);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && r.key().startsWith(keyPrefix)) {
                        out.add(decode.apply(r));
                    }
                }
            }
        }
        return out;
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.close();
        events.close();
        meters.close();
    }
}
