package io.tributary.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.platform.testing.KafkaBrokerExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** ConsumerGroupProgress against a real broker: a real consumer commits, the Admin client sees it. */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsumerGroupProgressIT {
    private static final Duration LONG = Duration.ofSeconds(30);

    private KafkaClients clients;
    private Admin admin;
    private final AtomicLong polls = new AtomicLong();
    private ConsumerGroupProgress progress;
    private final String topic = "progress-it-" + UUID.randomUUID();

    @BeforeAll
    void start(EmbeddedKafkaBroker broker) {
        clients = new KafkaClients(broker.bootstrapServers());
        admin = clients.admin("progress-it");
        TopicBootstrap.ensureTopics(admin, List.of(TopicSpec.appendOnly(topic, 2)), (short) 1);
        ConsumerGroupProgress.CommittedOffsets fromAdmin = ConsumerGroupProgress.CommittedOffsets.from(admin);
        progress = ConsumerGroupProgress.start((request, timeout) -> {
            try {
                return fromAdmin.fetch(request, timeout);
            } finally {
                polls.incrementAndGet();
            }
        }, ConsumerGroupProgress.DEFAULT_POLL_INTERVAL);
    }

    @AfterAll
    void stop() {
        progress.close();
        admin.close();
    }

    /** Produces one record to each partition; returns the targets (offset + 1) per partition. */
    private Map<TopicPartition, Long> produceToEachPartition() throws Exception {
        Map<TopicPartition, Long> targets = new HashMap<>();
        try (KafkaProducer<String, String> producer = clients.producer("progress-it", new StringSerializer(), new StringSerializer())) {
            for (int partition = 0; partition < 2; partition++) {
                RecordMetadata md = producer.send(new ProducerRecord<>(topic, partition, "k", "v")).get(30, TimeUnit.SECONDS);
                targets.put(new TopicPartition(topic, partition), md.offset() + 1);
            }
        }
        return targets;
    }

    private void commit(String group, Map<TopicPartition, Long> offsets) {
        try (KafkaConsumer<String, String> consumer = clients.consumer("committer", group, new StringDeserializer(), new StringDeserializer())) {
            Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
            offsets.forEach((tp, offset) -> commits.put(tp, new OffsetAndMetadata(offset)));
            consumer.commitSync(commits);
        }
    }

    private void awaitPolls(int n) throws InterruptedException {
        long target = polls.get() + n;
        while (polls.get() < target) {
            Thread.sleep(5);
        }
    }

    @Test
    void completesOnlyOnceTheGroupCommittedPastEveryTarget() throws Exception {
        String group = "sink-" + UUID.randomUUID();
        Map<TopicPartition, Long> targets = produceToEachPartition();
        CompletableFuture<Boolean> reached = progress.awaitCommitted(group, targets, LONG);

        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        commit(group, Map.of(p0, targets.get(p0), p1, targets.get(p1) - 1));
        awaitPolls(2); // at least one whole poll after the commit
        assertThat(reached).isNotDone();

        commit(group, Map.of(p1, targets.get(p1)));
        assertThat(reached.get(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aGroupThatNeverCommitsTimesOut() throws Exception {
        Map<TopicPartition, Long> targets = produceToEachPartition();
        assertThat(progress.awaitCommitted("never-" + UUID.randomUUID(), targets, Duration.ofMillis(300))
                .get(30, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void offsetsAlreadyPastTheTargetsCompleteAtTheNextPoll() throws Exception {
        String group = "ahead-" + UUID.randomUUID();
        Map<TopicPartition, Long> targets = produceToEachPartition();
        Map<TopicPartition, Long> ahead = new HashMap<>();
        targets.forEach((tp, offset) -> ahead.put(tp, offset + 5));
        commit(group, ahead);
        assertThat(progress.awaitCommitted(group, targets, LONG).get(30, TimeUnit.SECONDS)).isTrue();
    }
}
