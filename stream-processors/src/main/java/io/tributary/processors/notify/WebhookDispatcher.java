package io.tributary.processors.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.platform.health.HealthSettings;
import io.tributary.platform.health.HealthSettingsStore;
import io.tributary.platform.kafka.ConsumerGroups;
import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.Notification;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the {@code notifications} topic to each workspace's webhook (seed 004: "an optional
 * webhook URL per workspace, retried with backoff"). For every notification whose workspace has a
 * webhook URL it POSTs the notification as JSON with the headers {@value #DELIVERY_HEADER} (the
 * notification id) and {@value #ATTEMPT_HEADER} (1, 2, …); a 2xx answer is delivered, anything
 * else (another status, a refused connection, no answer within 10 s) is tried again after
 * {@link WebhookBackoff#before} until {@code attempts} attempts have failed, when it gives up with
 * a WARN. The consumer offset is committed after each notification is delivered or given up, so
 * delivery is at least once: a crash or a rebalance mid-delivery repeats the call with the same
 * delivery id, on which receivers deduplicate.
 *
 * <p>Notifications are delivered one at a time, in order per partition: a workspace whose webhook
 * keeps failing delays the others by up to {@link WebhookBackoff#worstCase} per notification.
 * The group is {@link ConsumerGroups#WEBHOOKS}; like every group it starts at the earliest
 * retained record the first time, and reads committed (exactly-once) notifications only. Closing
 * stops at once, also mid-wait or mid-call; the notification in hand is then delivered again by
 * the next run.
 */
public final class WebhookDispatcher implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    public static final String DELIVERY_HEADER = "X-Tributary-Delivery";
    public static final String ATTEMPT_HEADER = "X-Tributary-Attempt";
    /** How long one call may take, connecting included. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final ObjectMapper JSON = new ObjectMapper();

    private enum Outcome { DELIVERED, FAILED, SKIPPED, CLOSED }

    private final Consumer<byte[], byte[]> consumer;
    private final Deserializer<Notification> deserializer;
    private final Function<String, Optional<String>> webhookUrls;
    private final HttpClient http;
    private final int attempts;
    private final Counter delivered;
    private final Counter failed;

    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile CompletableFuture<?> inFlight;

    /**
     * {@code webhookUrls} gives a workspace's webhook URL, if it has one; {@code consumer} should be
     * configured by {@link #consumerConfig}.
     */
    public WebhookDispatcher(Consumer<byte[], byte[]> consumer, Deserializer<Notification> deserializer,
                             Function<String, Optional<String>> webhookUrls, int attempts, MeterRegistry metrics) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
        }
        this.consumer = consumer;
        this.deserializer = deserializer;
        this.webhookUrls = webhookUrls;
        this.attempts = attempts;
        this.http = HttpClient.newBuilder().connectTimeout(CALL_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        this.delivered = deliveries(metrics, "delivered");
        this.failed = deliveries(metrics, "failed");
    }

    private static Counter deliveries(MeterRegistry metrics, String outcome) {
        return Counter.builder("tributary.webhook.deliveries").description("Notifications delivered to a webhook, or given up after every attempt failed")
                .tag("outcome", outcome).register(metrics);
    }

    /**
     * What the dispatcher's consumer needs on top of a group consumer's defaults: one record per
     * poll (each is handled before the next poll), and a poll interval above the longest a record
     * can take, so that slow deliveries never cost the group membership.
     */
    public static Map<String, Object> consumerConfig(Map<String, Object> groupConsumer, int attempts) {
        Map<String, Object> props = new HashMap<>(groupConsumer);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                (int) Math.min(Integer.MAX_VALUE, WebhookBackoff.worstCase(attempts, CALL_TIMEOUT).plusMinutes(1).toMillis()));
        return props;
    }

    /**
     * A workspace's webhook URL from the health settings: as of the topic's end when Kafka answers
     * (a URL set a moment ago in another process counts), else as this process last saw it.
     */
    public static Function<String, Optional<String>> webhookUrls(HealthSettingsStore settings) {
        return workspace -> {
            HealthSettings current;
            try {
                current = settings.latest(workspace);
            } catch (KafkaException e) {
                LOG.debug("health settings not read to their end ({}); using this process's view", e.toString());
                current = settings.get(workspace);
            }
            return Optional.ofNullable(current.webhookUrl());
        };
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(Topics.NOTIFICATIONS));
            while (!isClosing()) {
                boolean handledAny = false;
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                    if (handle(record) == Outcome.CLOSED) {
                        return; // not committed: the next run delivers it again
                    }
                    handledAny = true;
                }
                commitPositions(handledAny);
            }
        } catch (WakeupException e) {
            if (!isClosing()) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("webhook dispatcher stopped on an unexpected error; undelivered notifications will be delivered by the next run", e);
            throw e;
        } finally {
            consumer.close();
            stopped.countDown();
        }
    }

    private Outcome handle(ConsumerRecord<byte[], byte[]> record) {
        Notification notification;
        try {
            notification = deserializer.deserialize(record.topic(), record.value());
        } catch (SerializationException e) {
            LOG.warn("webhooks: skipping undecodable notification at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return Outcome.SKIPPED;
        }
        if (notification == null) {
            return Outcome.SKIPPED;
        }
        Optional<String> url = webhookUrls.apply(notification.getWorkspaceId());
        return url.isEmpty() ? Outcome.SKIPPED : deliver(notification, url.get());
    }

    /** Tries the call up to {@code attempts} times; counts and logs the outcome. */
    private Outcome deliver(Notification notification, String url) {
        String id = notification.getNotificationId();
        String workspace = notification.getWorkspaceId();
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(CALL_TIMEOUT)
                    .header("Content-Type", "application/json").header(DELIVERY_HEADER, id)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body(notification)));
        } catch (IllegalArgumentException e) {
            failed.increment();
            LOG.warn("webhook of workspace {}: gave up on notification {} at once: the URL '{}' is not usable ({})", workspace, id, url,
                    e.getMessage());
            return Outcome.FAILED;
        }
        String problem = "";
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (waitBefore(attempt)) {
                return Outcome.CLOSED;
            }
            Optional<String> result = call(request.setHeader(ATTEMPT_HEADER, Integer.toString(attempt)).build());
            if (isClosing()) {
                return Outcome.CLOSED;
            }
            if (result.isEmpty()) {
                delivered.increment();
                LOG.debug("webhook of workspace {}: notification {} delivered on attempt {}", workspace, id, attempt);
                return Outcome.DELIVERED;
            }
            problem = result.get();
            LOG.debug("webhook of workspace {}: attempt {} of {} for notification {} failed: {}", workspace, attempt, attempts, id, problem);
        }
        failed.increment();
        LOG.warn("webhook of workspace {}: gave up on notification {} after {} attempt{}; the last one: {}", workspace, id, attempts,
                attempts == 1 ? "" : "s", problem);
        return Outcome.FAILED;
    }

    /** Waits the backoff before {@code attempt}; true if closing cut it short. */
    private boolean waitBefore(int attempt) {
        Duration wait = WebhookBackoff.before(attempt);
        try {
            return closing.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** One call: empty when the webhook answered 2xx, else what went wrong. */
    private Optional<String> call(HttpRequest request) {
        CompletableFuture<HttpResponse<Void>> response = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        inFlight = response;
        if (isClosing()) {
            response.cancel(true); // close() may have looked before inFlight was set
        }
        try {
            int status = response.get().statusCode();
            return status / 100 == 2 ? Optional.empty() : Optional.of("answered " + status);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return Optional.of(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getClass().getSimpleName() + ": "
                    + cause.getMessage());
        } catch (CancellationException e) {
            return Optional.of("cancelled");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.cancel(true);
            return Optional.of("interrupted");
        } finally {
            inFlight = null;
        }
    }

    /** The JSON a webhook receives: the notification as GET /api/v1/notifications lists it, plus its workspace. */
    static byte[] body(Notification n) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", n.getNotificationId());
        body.put("kind", n.getKind());
        body.put("workspace_id", n.getWorkspaceId());
        body.put("upload_id", n.getUploadId());
        body.put("customers", n.getCustomers());
        body.put("recipients", n.getRecipients());
        body.put("message", n.getMessage());
        // whole seconds, as GET /api/v1/notifications shows it (the store keeps seconds)
        body.put("created_at", n.getCreatedAt().truncatedTo(ChronoUnit.SECONDS).toString());
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a notification is always JSON", e);
        }
    }

    /**
     * Commits the consumer's position on every partition where it moved: after each handled record,
     * and also when the position moved without a record (past transaction markers), so that the
     * group's lag reaches 0.
     */
    private void commitPositions(boolean handledAny) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        try {
            for (TopicPartition tp : consumer.assignment()) {
                long position = consumer.position(tp);
                Long last = committed.get(tp);
                if (last == null || last != position) {
                    offsets.put(tp, new OffsetAndMetadata(position));
                }
            }
            if (!offsets.isEmpty()) {
                consumer.commitSync(offsets);
                offsets.forEach((tp, offset) -> committed.put(tp, offset.offset()));
            }
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // the partition moved to another member, which starts from the last commit: it may call the webhook again
            committed.clear();
            if (handledAny) {
                LOG.info("webhooks: commit refused during a rebalance ({}); the new owner may deliver the last notification again", e.toString());
            }
        } catch (TimeoutException e) {
            // Kafka is unreachable for now: the next loop commits again (the position is kept)
            LOG.warn("webhooks: cannot commit the consumer position yet: {}", e.getMessage());
        }
    }

    private boolean isClosing() {
        return closing.getCount() == 0;
    }

    /** Stops waiting, cancels a call in flight, and returns once the loop has ended (at most 30 s). */
    @Override
    public void close() {
        closing.countDown();
        CompletableFuture<?> call = inFlight;
        if (call != null) {
            call.cancel(true);
        }
        consumer.wakeup();
        try {
            if (!stopped.await(30, TimeUnit.SECONDS)) {
                LOG.warn("webhook dispatcher did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
