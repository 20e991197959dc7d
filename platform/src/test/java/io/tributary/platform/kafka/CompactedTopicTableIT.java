package io.tributary.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.platform.testing.KafkaBrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class CompactedTopicTableIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void readsItsOwnWritesAndTombstones(EmbeddedKafkaBroker broker) {
        try (CompactedTopicTable<String, Integer> table = table(broker, newTopic())) {
            table.start();
            assertThat(table.snapshot()).isEmpty();

            table.put("a", 1);
            assertThat(table.get("a")).contains(1);
            table.put("a", 2);
            table.put("b", 3);
            assertThat(table.get("a")).contains(2);

            table.remove("a");
            assertThat(table.get("a")).isEmpty();
            assertThat(table.snapshot()).isEqualTo(Map.of("b", 3));
        }
    }

    @Test
    void createsTheTopicCompactedWithOnePartition(EmbeddedKafkaBroker broker) throws Exception {
        String topic = newTopic();
        try (CompactedTopicTable<String, Integer> table = table(broker, topic)) {
            table.start();
        }
        try (Admin admin = new KafkaClients(broker.bootstrapServers()).admin("check")) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            assertThat(description.partitions()).hasSize(1);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource).get("cleanup.policy").value())
                    .isEqualTo("compact");
        }
    }

    @Test
    void aRestartedTableLoadsTheTopicIncludingTombstones(EmbeddedKafkaBroker broker) {
        String topic = newTopic();
        try (CompactedTopicTable<String, Integer> table = table(broker, topic)) {
            table.start();
            for (int i = 0; i < 100; i++) {
                table.put("k" + (i % 10), i);
            }
            table.remove("k3");
        }

        try (CompactedTopicTable<String, Integer> restarted = table(broker, topic)) {
            restarted.start();
            Map<String, Integer> view = restarted.snapshot();
            assertThat(view).hasSize(9).doesNotContainKey("k3").containsEntry("k0", 90).containsEntry("k9", 99);
        }
    }

    @Test
    void twoInstancesSeeEachOthersWrites(EmbeddedKafkaBroker broker) {
        String topic = newTopic();
        try (CompactedTopicTable<String, Integer> first = table(broker, topic);
             CompactedTopicTable<String, Integer> second = table(broker, topic)) {
            first.start();
            second.start();
            List<CompactedTopicTable.Change<String, Integer>> seenBySecond = new CopyOnWriteArrayList<>();
            second.addListener(seenBySecond::add);

            first.put("x", 1);
            second.readToEnd();
            assertThat(second.get("x")).contains(1);

            second.put("x", 2);
            second.put("y", 5);
            first.readToEnd();
            assertThat(first.get("x")).contains(2);

            first.remove("x");
            second.readToEnd();
            assertThat(second.get("x")).isEmpty();
            assertThat(second.snapshot()).isEqualTo(first.snapshot()).isEqualTo(Map.of("y", 5));
            assertThat(seenBySecond).containsExactly(
                    new CompactedTopicTable.Change<>("x", Optional.empty(), Optional.of(1)),
                    new CompactedTopicTable.Change<>("x", Optional.of(1), Optional.of(2)),
                    new CompactedTopicTable.Change<>("y", Optional.empty(), Optional.of(5)),
                    new CompactedTopicTable.Change<>("x", Optional.of(2), Optional.empty()));
        }
    }

    @Test
    void aListenerAddedBeforeStartSeesTheInitialLoad(EmbeddedKafkaBroker broker) {
        String topic = newTopic();
        try (CompactedTopicTable<String, Integer> writer = table(broker, topic)) {
            writer.start();
            writer.put("a", 1);
            writer.put("b", 2);
        }
        try (CompactedTopicTable<String, Integer> reader = table(broker, topic)) {
            List<CompactedTopicTable.Change<String, Integer>> seen = new CopyOnWriteArrayList<>();
            reader.addListener(seen::add);
            reader.start();

            assertThat(seen).containsExactly(
                    new CompactedTopicTable.Change<>("a", Optional.empty(), Optional.of(1)),
                    new CompactedTopicTable.Change<>("b", Optional.empty(), Optional.of(2)));
        }
    }

    @Test
    void skipsUndecodableRecordsAndKeepsGoing(EmbeddedKafkaBroker broker) throws Exception {
        String topic = newTopic();
        try (CompactedTopicTable<String, Integer> table = table(broker, topic)) {
            table.start();
            try (KafkaProducer<byte[], byte[]> raw = new KafkaClients(broker.bootstrapServers())
                    .producer("raw", new ByteArraySerializer(), new ByteArraySerializer())) {
                raw.send(new ProducerRecord<>(topic, "bad".getBytes(), new byte[] {1, 2, 3})).get(); // not a 4-byte int
            }
            table.put("good", 7);

            assertThat(table.snapshot()).isEqualTo(Map.of("good", 7));
        }
    }

    @Test
    void refusesWritesBeforeStartAndAfterClose(EmbeddedKafkaBroker broker) {
        CompactedTopicTable<String, Integer> table = table(broker, newTopic());
        assertThatThrownBy(() -> table.put("a", 1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("not started");

        table.start();
        table.close();

        assertThatThrownBy(() -> table.put("a", 1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(table::start).isInstanceOf(IllegalStateException.class);
        table.close(); // idempotent
    }

    private static CompactedTopicTable<String, Integer> table(EmbeddedKafkaBroker broker, String topic) {
        return new CompactedTopicTable<>(new KafkaClients(broker.bootstrapServers()), topic, (short) 1,
                Serdes.String(), Serdes.Integer(), TIMEOUT);
    }

    private static String newTopic() {
        return "table-it-" + UUID.randomUUID();
    }
}
