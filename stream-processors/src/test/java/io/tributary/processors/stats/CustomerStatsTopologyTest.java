package io.tributary.processors.stats;

import static io.tributary.processors.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.processors.AnalyticsDriver;
import io.tributary.processors.TestEvents;
import io.tributary.schemas.avro.CustomerEvent;
import io.tributary.schemas.avro.CustomerStats;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CustomerStatsTopologyTest {
    private AnalyticsDriver analytics;
    private TestInputTopic<String, CustomerEvent> events;
    private TestOutputTopic<String, CustomerStats> stats;

    @BeforeEach
    void setUp() {
        analytics = new AnalyticsDriver(Duration.ofHours(1));
        events = analytics.events;
        stats = analytics.stats;
    }

    @AfterEach
    void tearDown() {
        analytics.close();
    }

    private void send(CustomerEvent e) {
        analytics.send(e);
    }

    @Test
    void statisticsNeedNoRepartitionTopicBecauseEventsAreAlreadyKeyedByCustomer() {
        String description = analytics.topology.describe().toString();
        assertThat(description).contains("drop-replayed-events").contains("aggregate-customer").contains("customer-aggregates");
        // the only repartition topic is the segments broadcast
        assertThat(description.split("repartition", -1).length - 1).isEqualTo(description.split("segments-broadcast-repartition", -1).length - 1);
    }

    @Test
    void distinctSessionsProductsCategoriesDevicesAndCountriesAreExact() {
        send(TestEvents.purchase("w", "e1", "c1", "10.00", "s1"));
        send(TestEvents.purchase("w", "e2", "c1", "20.00", "s1"));
        send(CustomerEvent.newBuilder(TestEvents.purchase("w", "e3", "c1", "5.00", "s2")).setProductId("p-e1").setCategoryId("other")
                .setDeviceType("desktop").setCountry("FR").build());
        send(CustomerEvent.newBuilder(event("w", "e4", "c1", "page_view", "2023-06-16T09:00:00Z", null, null)).setCountry(null).build());

        CustomerStats c1 = stats.readKeyValuesToMap().get("w|c1");
        assertThat(c1.getSessionCount()).isEqualTo(2);
        assertThat(c1.getDistinctProducts()).isEqualTo(2); // p-e1, p-e2
        assertThat(c1.getDistinctCategories()).isEqualTo(2);
        assertThat(c1.getDevices()).containsExactly("desktop", "mobile");
        assertThat(c1.getCountries()).containsExactly("FR", "US");
    }

    @Test
    void averageOrderValueAndLifetimeValue() {
        send(event("w", "e0", "c1", "page_view", "2023-06-15T14:30:45Z", null, null));
        CustomerStats before = stats.readKeyValuesToMap().get("w|c1");
        assertThat(before.getAverageOrderValue()).isNull();
        assertThat(before.getLifetimeValue()).isEqualByComparingTo("0");

        send(event("w", "e1", "c1", "purchase", "2023-06-15T14:30:45Z", "10.00", 1));
        send(event("w", "e2", "c1", "purchase", "2023-06-15T14:30:45Z", "10.00", 1));
        send(event("w", "e3", "c1", "purchase", "2023-06-15T14:30:45Z", "0.01", 1));
        CustomerStats c1 = stats.readKeyValuesToMap().get("w|c1");
        assertThat(c1.getAverageOrderValue()).isEqualTo(new BigDecimal("6.6700")); // 20.01 / 3 = 6.67 (half-even, 4 places)
        assertThat(c1.getLifetimeValue()).isEqualTo(new BigDecimal("20.0100"));
        assertThat(c1.getLifetimeValue()).isEqualTo(c1.getTotalSpent());
    }

    @Test
    void averageOrderValueRoundsHalfEven() {
        send(event("w", "e1", "c1", "purchase", "2023-06-15T14:30:45Z", "0.0001", 1));
        send(event("w", "e2", "c1", "purchase", "2023-06-15T14:30:45Z", "0.0000", 1));
        // 0.0001 / 2 = 0.00005 → 0.0000 (half-even); 0.0003/2 = 0.00015 → 0.0002
        assertThat(stats.readKeyValuesToMap().get("w|c1").getAverageOrderValue()).isEqualTo(new BigDecimal("0.0000"));
        send(event("w", "e3", "c2", "purchase", "2023-06-15T14:30:45Z", "0.0003", 1));
        send(event("w", "e4", "c2", "purchase", "2023-06-15T14:30:45Z", "0.0000", 1));
        assertThat(stats.readKeyValuesToMap().get("w|c2").getAverageOrderValue()).isEqualTo(new BigDecimal("0.0002"));
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
