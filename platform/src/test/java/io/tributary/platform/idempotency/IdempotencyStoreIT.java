package io.tributary.platform.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.platform.kafka.EmbeddedKafkaBroker;
import io.tributary.platform.kafka.KafkaClients;
import io.tributary.platform.testing.KafkaBrokerExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Keys on the real topic, seen by two store instances as two gateways would, and across a restart. */
@ExtendWith(KafkaBrokerExtension.class)
class IdempotencyStoreIT {
    private static final Duration RETENTION = Duration.ofHours(24);

    /** A clock the test moves; shared by the "gateways" of one test. */
    private static final class MovableClock extends Clock {
        private final AtomicLong millis = new AtomicLong(1_800_000_000_000L);

        void advance(Duration by) {
            millis.addAndGet(by.toMillis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }

    private static IdempotencyStore start(EmbeddedKafkaBroker broker, Clock clock) {
        return IdempotencyStore.start(new KafkaClients(broker.bootstrapServers()), (short) 1, RETENTION, Duration.ofSeconds(30), clock);
    }

    private static RecordedAnswer answer(IdempotencyStore store, String body) {
        return store.answer(new RequestFingerprint("POST", "/v1/customer-insights", "", "ab".repeat(32), body.length()), 201,
                Map.of("Location", "/v1/customer-insights/x"), body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void twoGatewaysAgreeWhichOneProcessesAKeyAndBothReplayItsAnswer(EmbeddedKafkaBroker broker) {
        RecordedAnswer recorded;
        try (IdempotencyStore a = start(broker, Clock.systemUTC()); IdempotencyStore b = start(broker, Clock.systemUTC())) {
            assertThat(a.claim("ws-race", "k", "request-a")).isTrue();
            assertThat(b.claim("ws-race", "k", "request-b")).as("the first claim holds on every gateway").isFalse();
            assertThat(a.claim("ws-race", "k", "request-a2")).as("also for a second request on the winner's gateway").isFalse();
            assertThat(b.claim("ws-race-other", "k", "request-b")).as("another workspace's equal key is its own").isTrue();

            recorded = answer(a, "{\"id\":\"x\"}");
            a.save("ws-race", "k", recorded);
            a.release("ws-race", "k");
            assertThat(a.answer("ws-race", "k")).contains(recorded);
            // b may not have read it yet, but claiming reads the topic up to the claim
            assertThat(b.claim("ws-race", "k", "request-b2")).as("released, so claimable again").isTrue();
            assertThat(b.answer("ws-race", "k")).contains(recorded);
            b.release("ws-race", "k");
        }
        try (IdempotencyStore restarted = start(broker, Clock.systemUTC())) {
            assertThat(restarted.answer("ws-race", "k")).contains(recorded);
            assertThat(restarted.answer("ws-race-other", "k")).isEmpty();
            assertThat(restarted.claim("ws-race-other", "k", "request-c")).as("an unreleased claim holds across restarts").isFalse();
        }
    }

    @Test
    void aClaimNeverReleasedExpiresAfterTheLease(EmbeddedKafkaBroker broker) {
        MovableClock clock = new MovableClock();
        try (IdempotencyStore died = start(broker, clock); IdempotencyStore other = start(broker, clock)) {
            assertThat(died.claim("ws-lease", "k", "request-died")).isTrue();
            clock.advance(IdempotencyStore.CLAIM_LEASE.minusMillis(1));
            assertThat(other.claim("ws-lease", "k", "request-early")).isFalse();
            clock.advance(Duration.ofMillis(1));
            assertThat(other.claim("ws-lease", "k", "request-late")).isTrue();
        }
    }

    @Test
    void answersExpireAfterTheRetentionAndLeaveMemory(EmbeddedKafkaBroker broker) {
        MovableClock clock = new MovableClock();
        try (IdempotencyStore store = start(broker, clock)) {
            int before = store.entries();
            store.save("ws-expiry", "k", answer(store, "{}"));
            assertThat(store.entries()).isEqualTo(before + 1);
            clock.advance(RETENTION.minusMillis(1));
            assertThat(store.answer("ws-expiry", "k")).isPresent();
            clock.advance(Duration.ofMillis(1));
            assertThat(store.answer("ws-expiry", "k")).isEmpty();
            store.sweep();
            assertThat(store.entries()).isLessThanOrEqualTo(before);
        }
    }
}
