package io.tributary.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {

    @Test
    void keepsRecordsAcrossRestartOnTheSameDataDir(@TempDir Path dataDir) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, 0)) {
            KafkaClients clients = new KafkaClients(broker.bootstrapServers());
            try (Admin admin = clients.admin("test")) {
                TopicBootstrap.ensureTopics(admin, List.of(TopicSpec.appendOnly("t", 3)), (short) 1);
                TopicBootstrap.ensureTopics(admin, List.of(TopicSpec.appendOnly("t", 3)), (short) 1); // idempotent
            }
            try (KafkaProducer<String, String> producer = clients.producer("p", new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("t", "k" + i, "v" + i)).get();
                }
            }
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, 0)) {
            assertThat(readAll(new KafkaClients(broker.bootstrapServers()), "t", 3)).hasSize(10);
        }
    }

    private static List<ConsumerRecord<String, String>> readAll(KafkaClients clients, String topic, int partitions) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = clients.standaloneConsumer("c", new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(topic, p));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            long deadline = System.currentTimeMillis() + 20_000;
            while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
