package io.tributary.processors.stats;

import static io.tributary.processors.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.schemas.registry.InMemorySchemaRegistry;
import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.CustomerEvent;
import io.tributary.schemas.avro.CustomerStats;
import io.tributary.schemas.serde.AvroSerdes;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CustomerStatsTopologyTest {
    private TopologyTestDriver driver;
    private TestInputTopic<String, CustomerEvent> events;
    private TestOutputTopic<String, CustomerStats> stats;

    @BeforeEach
    void setUp() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry(1);
        Serde<CustomerEvent> eventSerde = AvroSerdes.specificValue(registry, CustomerEvent.class);
        Serde<CustomerStats> statsSerde = AvroSerdes.specificValue(registry, CustomerStats.class);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "stats-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(CustomerStatsTopology.build(eventSerde, statsSerde, Duration.ofHours(1),
                CustomerStatsTopology.StateStores.IN_MEMORY), props);
        events = driver.createInputTopic(Topics.CUSTOMER_EVENTS, new StringSerializer(), eventSerde.serializer(),
                Instant.parse("2024-01-01T00:00:00Z"), Duration.ofSeconds(1));
        stats = driver.createOutputTopic(Topics.CUSTOMER_STATS, new StringDeserializer(), statsSerde.deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private void send(CustomerEvent e) {
        events.pipeInput(Topics.key(e.getWorkspaceId(), e.getCustomerId()), e);
    }

    @Test
    void needsNoRepartitionTopicBecauseEventsAreAlreadyKeyedByCustomer() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry(1);
        String description = CustomerStatsTopology.build(AvroSerdes.specificValue(registry, CustomerEvent.class),
                AvroSerdes.specificValue(registry, CustomerStats.class), Duration.ofHours(1),
                CustomerStatsTopology.StateStores.IN_MEMORY).describe().toString();
        assertThat(description).doesNotContain("repartition").contains("drop-replayed-events").contains("aggregate-customer-stats");
    }

    @Test
    void countsEventsByTypeAndSumsPurchases() {
        send(event("w", "e1", "c1", "page_view", "2023-06-15T14:30:45Z", null, null));
        send(event("w", "e2", "c1", "purchase", "2023-06-15T14:35:00Z", "49.99", 2));
        send(event("w", "e3", "c1", "purchase", "2023-06-14T10:00:00Z", "10.00", null));
        send(event("w", "e4", "c1", "add_to_cart", "2023-06-16T09:00:00Z", "5.00", 1));

        Map<String, CustomerStats> latest = stats.readKeyValuesToMap();
        CustomerStats c1 = latest.get("w|c1");
        assertThat(c1.getEventCount()).isEqualTo(4);
        assertThat(c1.getEventsByType()).containsExactlyInAnyOrderEntriesOf(Map.of("page_view", 1L, "purchase", 2L, "add_to_cart", 1L));
        assertThat(c1.getPurchaseCount()).isEqualTo(2);
        assertThat(c1.getItemsPurchased()).isEqualTo(3); // 2 + (missing quantity counts 1)
        assertThat(c1.getTotalSpent()).isEqualByComparingTo(new BigDecimal("109.98")); // 49.99*2 + 10.00
        assertThat(c1.getFirstSeen()).isEqualTo(Instant.parse("2023-06-14T10:00:00Z")); // out-of-order event moves first_seen back
        assertThat(c1.getLastSeen()).isEqualTo(Instant.parse("2023-06-16T09:00:00Z"));
        assertThat(c1.getFirstPurchaseAt()).isEqualTo(Instant.parse("2023-06-14T10:00:00Z"));
        assertThat(c1.getLastPurchaseAt()).isEqualTo(Instant.parse("2023-06-15T14:35:00Z"));
        assertThat(c1.getVersion()).isEqualTo(4);
    }

    @Test
    void replayedEventIdsAreCountedOnce() {
        CustomerEvent purchase = event("w", "e1", "c1", "purchase", "2023-06-15T14:30:45Z", "49.99", 1);
        send(purchase);
        send(purchase);
        send(event("w", "e1", "c1", "purchase", "2023-06-15T14:30:45Z", "49.99", 1));
        send(event("w", "e2", "c1", "page_view", "2023-06-15T14:31:00Z", null, null));

        CustomerStats c1 = stats.readKeyValuesToMap().get("w|c1");
        assertThat(c1.getEventCount()).isEqualTo(2);
        assertThat(c1.getPurchaseCount()).isEqualTo(1);
        assertThat(c1.getTotalSpent()).isEqualByComparingTo("49.99");
    }

    @Test
    void keepsWorkspacesAndCustomersApart() {
        send(event("w1", "e1", "c1", "purchase", "2023-06-15T14:30:45Z", "1.00", 1));
        send(event("w2", "e1", "c1", "purchase", "2023-06-15T14:30:45Z", "2.00", 1)); // same event id, other workspace: distinct
        send(event("w1", "e2", "c2", "purchase", "2023-06-15T14:30:45Z", "3.00", 1));

        Map<String, CustomerStats> latest = stats.readKeyValuesToMap();
        assertThat(latest).containsOnlyKeys("w1|c1", "w2|c1", "w1|c2");
        assertThat(latest.get("w1|c1").getTotalSpent()).isEqualByComparingTo("1.00");
        assertThat(latest.get("w2|c1").getTotalSpent()).isEqualByComparingTo("2.00");
        assertThat(latest.get("w1|c2").getWorkspaceId()).isEqualTo("w1");
    }

    @Test
    void anEventIdIsForgottenAfterTheRetention() {
        CustomerEvent view = event("w", "e1", "c1", "page_view", "2023-06-15T14:30:45Z", null, null);
        events.pipeInput("w|c1", view, Instant.parse("2024-01-01T00:00:00Z"));
        events.pipeInput("w|c1", view, Instant.parse("2024-01-01T00:59:00Z")); // within 1 h: dropped
        events.pipeInput("w|c1", view, Instant.parse("2024-01-01T02:00:00Z")); // after 1 h: counted again
        assertThat(stats.readKeyValuesToMap().get("w|c1").getEventCount()).isEqualTo(2);
    }
}
