package io.tributary.gateway.events;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.schemas.registry.InMemorySchemaRegistry;
import io.tributary.platform.auth.Principal;
import io.tributary.platform.auth.RequestAuth;
import io.tributary.platform.auth.Scope;
import io.tributary.platform.http.HttpServer;
import io.tributary.platform.kafka.ConsumerGroupProgress;
import io.tributary.platform.kafka.EmbeddedKafkaBroker;
import io.tributary.platform.kafka.KafkaClients;
import io.tributary.platform.kafka.TopicBootstrap;
import io.tributary.platform.kafka.TopicSpec;
import io.tributary.platform.metrics.Metrics;
import io.tributary.platform.testing.TestFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Informal throughput check (not run by the build): rows/s through {@code POST /v0/events} over
 * HTTP versus a plain KafkaProducer sending records of the same size, on an embedded broker.
 * Run from the worktree root after {@code ./mvnw -q -pl ingest-gateway -am test-compile}:
 * <pre>java -cp "$(cat cp.txt):ingest-gateway/target/test-classes:ingest-gateway/target/classes" \
 *   io.tributary.gateway.events.EventsThroughputBench [rows] [rowsPerRequest] [httpClients]</pre>
 */
public final class EventsThroughputBench {
    private EventsThroughputBench() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rowsPerRequest = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        int httpClients = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Path dir = Files.createTempDirectory("tributary-bench-");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0)) {
            KafkaClients clients = new KafkaClients(broker.bootstrapServers());
            try (Admin admin = clients.admin("bench")) {
                List<TopicSpec> topics = new ArrayList<>(EventsApi.topics(6));
                topics.add(TopicSpec.appendOnly("bench_plain", 6));
                TopicBootstrap.ensureTopics(admin, topics, (short) 1);
            }
            List<byte[]> bodies = bodies(rows, rowsPerRequest);
            byte[] sampleValue = new byte[200];
            for (int round = 1; round <= 3; round++) {
                double plain = plainProducer(clients, rows, sampleValue);
                double http = throughHttp(clients, bodies, rows, httpClients);
                System.out.printf("round %d: plain KafkaProducer %.0f records/s; Events API over HTTP %.0f rows/s; ratio %.2f%n",
                        round, plain, http, http / plain);
            }
        } finally {
            TestFiles.deleteRecursively(dir);
        }
    }

    private static List<byte[]> bodies(int rows, int rowsPerRequest) {
        List<byte[]> bodies = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            body.append("{\"event_id\":\"ev-").append(i).append("\",\"customer_id\":\"cust-").append(i % 10_000)
                    .append("\",\"event_type\":\"page_view\",\"event_timestamp\":\"2023-06-15 14:30:45\",\"session_id\":\"sess-")
                    .append(i % 777).append("\",\"page_url\":\"https://example.com/product/").append(i % 500)
                    .append("\",\"price\":49.99,\"quantity\":1,\"device_type\":\"mobile\",\"country\":\"US\"}\n");
            if ((i + 1) % rowsPerRequest == 0 || i == rows - 1) {
                bodies.add(body.toString().getBytes(StandardCharsets.UTF_8));
                body.setLength(0);
            }
        }
        return bodies;
    }

    private static double plainProducer(KafkaClients clients, int rows, byte[] value) {
        try (KafkaProducer<String, byte[]> producer = clients.producer("bench-plain", new StringSerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            for (int i = 0; i < rows; i++) {
                producer.send(new ProducerRecord<>("bench_plain", "ws|cust-" + (i % 10_000), value));
            }
            producer.flush();
            return rows / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static double throughHttp(KafkaClients clients, List<byte[]> bodies, int rows, int httpClients) throws Exception {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry(1);
        RequestAuth auth = new RequestAuth(t -> Optional.of(new Principal("ws-bench", "t", Set.of(Scope.ADMIN))));
        try (ConsumerGroupProgress progress = ConsumerGroupProgress.start((r, t) -> Map.of(), ConsumerGroupProgress.DEFAULT_POLL_INTERVAL);
             EventsApi events = new EventsApi(clients, registry, auth, progress, new SimpleMeterRegistry(), EventsLimits.defaults());
             HttpServer server = HttpServer.start("127.0.0.1", 0, EventsLimits.DEFAULT_MAX_BODY_BYTES, Metrics.prometheusRegistry(),
                     List.of(), List.of(events.routes()))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v0/events?name=customer_events");
            // warm-up: registers the schema, fetches metadata, JITs the path
            http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer x")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(0))).build(), HttpResponse.BodyHandlers.ofString());
            AtomicInteger next = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(httpClients);
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < httpClients; c++) {
                done.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer x")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i))).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 202) {
                            throw new IllegalStateException(r.statusCode() + " " + r.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double rate = rows / ((System.nanoTime() - start) / 1e9);
            pool.shutdown();
            return rate;
        }
    }
}
