package io.tributary.gateway.events;

import static io.tributary.gateway.events.GatewayHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.gateway.events.GatewayHarness.Caller;
import io.tributary.schemas.registry.InMemorySchemaRegistry;
import io.tributary.platform.kafka.ConsumerGroupProgress;
import io.tributary.platform.kafka.EmbeddedKafkaBroker;
import io.tributary.platform.kafka.KafkaClients;
import io.tributary.platform.kafka.TopicBootstrap;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When Kafka does not acknowledge, the Events API answers 503 with Retry-After, never 2xx. */
class EventsApiKafkaDownIT {
    /** Small producer timeouts so that an unreachable broker shows within seconds. */
    private static final Map<String, Object> IMPATIENT_PRODUCER = Map.of(
            ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3_000,
            ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
    private static final EventsLimits LIMITS = EventsLimits.defaults().withAckTimeout(Duration.ofSeconds(20));
    private static final String ROWS = "{\"event_id\":\"e1\",\"customer_id\":\"c1\",\"event_type\":\"view\",\"event_timestamp\":\"2024-03-01 10:00:00\"}\n"
            + "{\"event_id\":\"e2\",\"customer_id\":\"c2\",\"event_type\":\"view\",\"event_timestamp\":\"2024-03-01 10:00:00\"}\n"
            + "not json\n";

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void assertUnavailable(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains(String.valueOf(EventsService.RETRY_AFTER_SECONDS));
        JsonNode error = json(response).path("error");
        assertThat(error.path("code").asText()).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(error.path("message").asText()).contains("Kafka did not acknowledge every row").contains("retry");
    }

    @Test
    void anUnreachableBrokerIs503() throws Exception {
        KafkaClients nowhere = new KafkaClients("127.0.0.1:" + closedPort(), IMPATIENT_PRODUCER);
        ConsumerGroupProgress progress = ConsumerGroupProgress.start((request, timeout) -> Map.of(), Duration.ofMillis(10));
        try (GatewayHarness gateway = new GatewayHarness(nowhere, new InMemorySchemaRegistry(1), progress, LIMITS)) {
            Caller caller = gateway.caller("admin");
            HttpResponse<String> response = gateway.post("?name=customer_events", caller.token(), ROWS);
            assertUnavailable(response);
            assertThat(json(response).path("error").path("message").asText()).contains(" 0 rows were acknowledged");
        } finally {
            progress.close();
        }
    }

    @Test
    void aBrokerThatGoesAwayIs503(@TempDir Path dataDir) {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, 0);
        KafkaClients clients = new KafkaClients(broker.bootstrapServers(), IMPATIENT_PRODUCER);
        try (Admin admin = clients.admin("down-it")) {
            TopicBootstrap.ensureTopics(admin, EventsApi.topics(1), (short) 1);
        }
        ConsumerGroupProgress progress = ConsumerGroupProgress.start((request, timeout) -> Map.of(), Duration.ofMillis(10));
        try (GatewayHarness gateway = new GatewayHarness(clients, new InMemorySchemaRegistry(1), progress, LIMITS)) {
            Caller caller = gateway.caller("admin");
            HttpResponse<String> before = gateway.post("?name=customer_events", caller.token(), ROWS);
            assertThat(before.statusCode()).as(before.body()).isEqualTo(202);

            broker.close();

            assertUnavailable(gateway.post("?name=customer_events", caller.token(), ROWS));
        } finally {
            progress.close();
        }
    }
}
