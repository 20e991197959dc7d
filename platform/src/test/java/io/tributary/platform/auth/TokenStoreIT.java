package io.tributary.platform.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.platform.kafka.EmbeddedKafkaBroker;
import io.tributary.platform.kafka.KafkaClients;
import io.tributary.platform.testing.KafkaBrokerExtension;
import io.tributary.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Tokens on the real compacted topic, seen by two store instances as two processes would. */
@ExtendWith(KafkaBrokerExtension.class)
class TokenStoreIT {

    private static TokenStore start(EmbeddedKafkaBroker broker) {
        return TokenStore.start(new KafkaClients(broker.bootstrapServers()), (short) 1, Duration.ofSeconds(30), Clock.systemUTC());
    }

    @Test
    void adminTokenIsGeneratedOnceThenReplacedByAConfiguredOne(EmbeddedKafkaBroker broker) {
        String generated;
        try (TokenStore first = start(broker)) {
            generated = first.ensureAdminToken(Optional.empty()).orElseThrow();
            assertThat(first.authenticate(generated)).get().satisfies(p -> {
                assertThat(p.workspaceId()).isEqualTo(TokenStore.DEFAULT_WORKSPACE);
                assertThat(p.can(Scope.ADMIN)).isTrue();
            });
        }
        try (TokenStore restarted = start(broker)) {
            assertThat(restarted.ensureAdminToken(Optional.empty())).as("not generated twice").isEmpty();
            assertThat(restarted.authenticate(generated)).isPresent();

            assertThat(restarted.ensureAdminToken(Optional.of("configured-admin-token"))).isEmpty();
            assertThat(restarted.authenticate("configured-admin-token")).get().satisfies(p -> assertThat(p.can(Scope.ADMIN)).isTrue());
            assertThat(restarted.authenticate(generated)).as("the configured token replaces the generated one").isEmpty();
        }
    }

    @Test
    void createdAndRevokedTokensAreSeenByOtherInstances(EmbeddedKafkaBroker broker) throws Exception {
        try (TokenStore gateway = start(broker); TokenStore query = start(broker)) {
            TokenStore.IssuedToken issued = gateway.create("ws-tokens", "pipe reader", List.of("pipes:read:customer_activity"));
            awaitPresent(query, issued.token(), true);
            Principal principal = query.authenticate(issued.token()).orElseThrow();
            assertThat(principal.workspaceId()).isEqualTo("ws-tokens");
            assertThat(principal.can(Scope.pipesRead("customer_activity"))).isTrue();
            assertThat(principal.can(Scope.pipesRead("segment_metrics"))).isFalse();
            assertThat(principal.can(Scope.eventsAppend("customer_events"))).isFalse();
            assertThat(gateway.list("ws-tokens")).extracting(TokenRecord::id).containsExactly(issued.record().id());

            assertThat(gateway.revoke("other-workspace", issued.record().id())).as("another workspace cannot revoke it").isFalse();
            assertThat(gateway.revoke("ws-tokens", issued.record().id())).isTrue();
            awaitPresent(query, issued.token(), false);
            assertThat(gateway.authenticate("not-a-token")).isEmpty();
        }
    }

    @Test
    void theTopicHoldsHashesNeverTokens(EmbeddedKafkaBroker broker) {
        String token;
        try (TokenStore store = start(broker)) {
            token = store.create("ws-hash", "secret check", List.of("admin")).token();
        }
        StringBuilder everything = new StringBuilder();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaClients(broker.bootstrapServers())
                .standaloneConsumer("token-reader", new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(Topics.TOKENS, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            while (consumer.position(tp) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> everything.append(new String(r.value(), StandardCharsets.UTF_8)));
            }
        }
        assertThat(everything.toString()).contains(Tokens.sha256Hex(token)).doesNotContain(token);
    }

    private static void awaitPresent(TokenStore store, String token, boolean present) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (store.authenticate(token).isPresent() != present && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(store.authenticate(token).isPresent()).isEqualTo(present);
    }
}
