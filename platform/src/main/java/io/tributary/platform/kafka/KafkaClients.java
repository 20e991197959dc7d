package io.tributary.platform.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One place for Kafka client settings (DESIGN.md §4): producers {@code acks=all} and idempotent,
 * consumers without auto-commit, read_committed, so that nothing is acknowledged before it is durable.
 */
public final class KafkaClients {
    private final String bootstrapServers;
    private final Map<String, Object> overrides;

    public KafkaClients(String bootstrapServers) {
        this(bootstrapServers, Map.of());
    }

    /** {@code overrides} are extra client properties for every client (e.g. security settings). */
    public KafkaClients(String bootstrapServers, Map<String, Object> overrides) {
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers);
        this.overrides = Map.copyOf(overrides);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Map<String, Object> producerConfig(String clientId) {
        Map<String, Object> props = base(clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.putAll(overrides);
        return props;
    }

    public Map<String, Object> consumerConfig(String clientId, String groupId) {
        Map<String, Object> props = base(clientId);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        props.putAll(overrides);
        return props;
    }

    /** A consumer outside any group (assign/seek only), for reading compacted topics to their end. */
    public Map<String, Object> standaloneConsumerConfig(String clientId) {
        Map<String, Object> props = base(clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        props.putAll(overrides);
        return props;
    }

    public Map<String, Object> adminConfig(String clientId) {
        Map<String, Object> props = base(clientId);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        props.putAll(overrides);
        return props;
    }

    public <K, V> KafkaProducer<K, V> producer(String clientId, Serializer<K> keys, Serializer<V> values) {
        return new KafkaProducer<>(producerConfig(clientId), keys, values);
    }

    public <K, V> KafkaConsumer<K, V> consumer(String clientId, String groupId, Deserializer<K> keys, Deserializer<V> values) {
        return new KafkaConsumer<>(consumerConfig(clientId, groupId), keys, values);
    }

    public <K, V> KafkaConsumer<K, V> standaloneConsumer(String clientId, Deserializer<K> keys, Deserializer<V> values) {
        return new KafkaConsumer<>(standaloneConsumerConfig(clientId), keys, values);
    }

    public Admin admin(String clientId) {
        return Admin.create(adminConfig(clientId));
    }

    private Map<String, Object> base(String clientId) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("client.id", clientId);
        return props;
    }
}
