package io.tributary.processors.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.platform.testing.WebhookReceiver;
import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.Notification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's loop against a real HTTP endpoint on loopback (the JDK's server) and Kafka's
 * MockConsumer: the call it makes, the retries, the commit after delivery, and closing that cuts a
 * backoff wait or a call in flight short without committing. WebhookDeliveryIT (deploy) runs it
 * end to end on a real node.
 */
class WebhookDispatcherIT {
    private static final TopicPartition PARTITION = new TopicPartition(Topics.NOTIFICATIONS, 0);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final Map<String, Notification> notifications = new ConcurrentHashMap<>();
    private final Deserializer<Notification> deserializer = (topic, value) -> notifications.get(new String(value, StandardCharsets.UTF_8));
    private final Map<String, String> webhooks = new ConcurrentHashMap<>();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private WebhookReceiver receiver;
    private WebhookDispatcher dispatcher;
    private Thread thread;

    @AfterEach
    void tearDown() throws Exception {
        if (dispatcher != null) {
            dispatcher.close();
            thread.join(5_000);
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    private void start(int attempts, Notification... records) {
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(PARTITION));
            consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
            for (int i = 0; i < records.length; i++) {
                notifications.put(records[i].getNotificationId(), records[i]);
                consumer.addRecord(new ConsumerRecord<>(Topics.NOTIFICATIONS, 0, i,
                        Topics.key(records[i].getWorkspaceId(), records[i].getNotificationId()).getBytes(StandardCharsets.UTF_8),
                        records[i].getNotificationId().getBytes(StandardCharsets.UTF_8)));
            }
        });
        dispatcher = new WebhookDispatcher(consumer, deserializer, ws -> Optional.ofNullable(webhooks.get(ws)), attempts, metrics);
        thread = new Thread(dispatcher, "webhook-dispatcher-test");
        thread.start();
    }

    private static Notification notification(String workspace, String id) {
        return Notification.newBuilder().setWorkspaceId(workspace).setNotificationId(id).setKind("upload_scored").setUploadId(id)
                .setCustomers(3).setRecipients(List.of("a@example.com", "b@example.com")).setMessage("3 customers of upload " + id + " scored")
                .setCreatedAt(Instant.parse("2026-12-02T10:15:30.123Z")).build();
    }

    private long committed() {
        OffsetAndMetadata offset = consumer.committed(Set.of(PARTITION)).get(PARTITION);
        return offset == null ? -1 : offset.offset();
    }

    private double counted(String outcome) {
        return metrics.get("tributary.webhook.deliveries").tag("outcome", outcome).counter().count();
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting for " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void retriesWithTheSameDeliveryIdUntilA2xxThenCommits() throws Exception {
        receiver = WebhookReceiver.start(n -> n == 1 ? 503 : 204);
        webhooks.put("ws-a", receiver.url());
        start(6, notification("ws-a", "up-1"));

        await("the commit after delivery", () -> committed() == 1);
        List<WebhookReceiver.Call> calls = receiver.calls();
        assertThat(calls).hasSize(2);
        assertThat(calls).extracting(c -> c.header(WebhookDispatcher.ATTEMPT_HEADER)).containsExactly("1", "2");
        assertThat(calls).extracting(c -> c.header(WebhookDispatcher.DELIVERY_HEADER)).containsOnly("up-1");
        assertThat(calls).extracting(WebhookReceiver.Call::method).containsOnly("POST");
        assertThat(calls.get(0).header("Content-Type")).isEqualTo("application/json");
        assertThat(calls.get(1).body()).isEqualTo(calls.get(0).body());
        assertThat(Duration.between(calls.get(0).at(), calls.get(1).at())).as("the first backoff").isBetween(Duration.ofMillis(950),
                Duration.ofSeconds(3));
        JsonNode body = JSON.readTree(calls.get(0).body());
        assertThat(body.toString()).isEqualTo("{\"id\":\"up-1\",\"kind\":\"upload_scored\",\"workspace_id\":\"ws-a\",\"upload_id\":\"up-1\","
                + "\"customers\":3,\"recipients\":[\"a@example.com\",\"b@example.com\"],\"message\":\"3 customers of upload up-1 scored\","
                + "\"created_at\":\"2026-12-02T10:15:30Z\"}");
        assertThat(counted("delivered")).isEqualTo(1);
        assertThat(counted("failed")).isZero();
    }

    @Test
    void notificationsOfWorkspacesWithoutAWebhookAreCommittedWithoutACall() throws Exception {
        receiver = WebhookReceiver.start(n -> 200);
        webhooks.put("ws-hooked", receiver.url());
        start(3, notification("ws-quiet", "q-1"), notification("ws-hooked", "h-1"), notification("ws-quiet", "q-2"));

        await("all three handled", () -> committed() == 3);
        assertThat(receiver.calls()).extracting(c -> c.header(WebhookDispatcher.DELIVERY_HEADER)).containsExactly("h-1");
    }

    @Test
    void givesUpAfterTheLastAttemptCountsItAndGoesOn() throws Exception {
        receiver = WebhookReceiver.start(n -> n <= 2 ? 500 : 200);
        webhooks.put("ws-a", receiver.url());
        start(2, notification("ws-a", "lost"), notification("ws-a", "next"));

        await("both handled", () -> committed() == 2);
        assertThat(receiver.calls()).extracting(c -> c.header(WebhookDispatcher.DELIVERY_HEADER) + "#" + c.header(WebhookDispatcher.ATTEMPT_HEADER))
                .containsExactly("lost#1", "lost#2", "next#1");
        assertThat(counted("failed")).isEqualTo(1);
        assertThat(counted("delivered")).isEqualTo(1);
    }

    @Test
    void closingCutsABackoffWaitShortAndLeavesTheNotificationUncommitted() throws Exception {
        receiver = WebhookReceiver.start(n -> 500);
        webhooks.put("ws-a", receiver.url());
        start(10, notification("ws-a", "up-1"));
        assertThat(receiver.awaitCalls(3, Duration.ofSeconds(10))).isTrue(); // now waiting 4 s before the 4th

        long started = System.nanoTime();
        dispatcher.close();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        thread.join(1_000);
        assertThat(thread.isAlive()).isFalse();
        assertThat(receiver.calls()).hasSize(3);
        assertThat(counted("failed") + counted("delivered")).as("neither delivered nor given up").isZero();
        dispatcher = null;
    }

    @Test
    void closingCancelsACallInFlight() throws Exception {
        receiver = WebhookReceiver.start(n -> 0); // never answers
        webhooks.put("ws-a", receiver.url());
        start(3, notification("ws-a", "up-1"));
        assertThat(receiver.awaitCalls(1, Duration.ofSeconds(10))).isTrue();

        long started = System.nanoTime();
        dispatcher.close();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("well before the 10 s call timeout").isLessThan(Duration.ofSeconds(1));
        thread.join(1_000);
        assertThat(thread.isAlive()).isFalse();
        assertThat(counted("failed") + counted("delivered")).isZero();
        dispatcher = null;
    }
}
