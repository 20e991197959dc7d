package io.tributary.processors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.processors.sink.DeadLetters;
import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.CustomerStats;
import io.tributary.schemas.registry.InMemorySchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/**
 * The customer-analytics topology with the handler the processors configure: undecodable bytes on
 * customer_events go to dead_letter with the reason, and the next good event is still counted.
 * (The real-broker version is SplitRolesFaultIT's dead-letter scenario.)
 */
class DeadLetterDeserializationHandlerTest {

    @Test
    void undecodableEventsAreDeadLetteredAndProcessingGoesOn() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        AnalyticsSerdes serdes = AnalyticsSerdes.of(new InMemorySchemaRegistry(1));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "analytics-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
        props.put(DeadLetterDeserializationHandler.DEAD_LETTERS_CONFIG, new DeadLetters(producer));
        try (TopologyTestDriver driver = new TopologyTestDriver(
                CustomerAnalyticsTopology.build(serdes, Duration.ofHours(1), StateStores.IN_MEMORY), props)) {
            TestInputTopic<String, byte[]> raw = driver.createInputTopic(Topics.CUSTOMER_EVENTS, new StringSerializer(), new ByteArraySerializer());
            TestOutputTopic<String, CustomerStats> stats = driver.createOutputTopic(Topics.CUSTOMER_STATS, new StringDeserializer(), serdes.stats().deserializer());

            raw.pipeInput("w|c1", "not avro".getBytes(StandardCharsets.UTF_8));
            raw.pipeInput("w|c1", new byte[] {0, 0, 0, 0x7f, 0x7f, 1, 2}); // magic byte, unknown schema id
            TestInputTopic<String, io.tributary.schemas.avro.CustomerEvent> events = driver.createInputTopic(Topics.CUSTOMER_EVENTS,
                    new StringSerializer(), serdes.event().serializer());
            events.pipeInput("w|c1", TestEvents.purchase("w", "e1", "c1", "10.00", "s1"));

            assertThat(producer.history()).hasSize(2);
            ProducerRecord<byte[], byte[]> first = producer.history().get(0);
            assertThat(first.topic()).isEqualTo(DeadLetters.TOPIC);
            assertThat(first.value()).isEqualTo("not avro".getBytes(StandardCharsets.UTF_8));
            assertThat(header(first, "tributary.consumer")).isEqualTo("streams:analytics-test");
            assertThat(header(first, "tributary.source.topic")).isEqualTo(Topics.CUSTOMER_EVENTS);
            assertThat(header(first, "tributary.reason")).isNotBlank();
            assertThat(header(producer.history().get(1), "tributary.source.offset")).isEqualTo("1");
            assertThat(stats.readKeyValuesToMap().get("w|c1").getEventCount()).isEqualTo(1);
        }
    }

    @Test
    void refusesToStartWithoutDeadLetters() {
        DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        assertThatThrownBy(() -> handler.configure(Map.of(StreamsConfig.APPLICATION_ID_CONFIG, "a")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(DeadLetterDeserializationHandler.DEAD_LETTERS_CONFIG);
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
