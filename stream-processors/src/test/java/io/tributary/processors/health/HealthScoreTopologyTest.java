package io.tributary.processors.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.platform.health.HealthSettings;
import io.tributary.platform.health.HealthSettingsStore;
import io.tributary.platform.health.ScoringConfig;
import io.tributary.platform.health.ScoringConfig.Component;
import io.tributary.platform.health.ScoringConfig.Direction;
import io.tributary.platform.health.ScoringConfig.Normalisation;
import io.tributary.platform.health.ScoringConfig.Source;
import io.tributary.platform.health.ValueKind;
import io.tributary.processors.StateStores;
import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.CustomerMetrics;
import io.tributary.schemas.avro.DatedMetrics;
import io.tributary.schemas.avro.HealthScore;
import io.tributary.schemas.avro.Notification;
import io.tributary.schemas.registry.InMemorySchemaRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthScoreTopologyTest {
    private static final Instant START = Instant.parse("2024-06-01T00:00:00Z");
    private final HealthSerdes serdes = HealthSerdes.of(new InMemorySchemaRegistry(1));
    private TopologyTestDriver driver;
    private TestInputTopic<String, CustomerMetrics> uploads;
    private TestInputTopic<String, HealthSettings> settings;
    private TestOutputTopic<String, HealthScore> scores;
    private TestOutputTopic<String, Notification> notifications;

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "health-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(HealthScoreTopology.build(serdes, StateStores.IN_MEMORY), props, START);
        uploads = driver.createInputTopic(Topics.CUSTOMER_METRICS, new StringSerializer(), serdes.metrics().serializer(), START, Duration.ofMillis(1));
        settings = driver.createInputTopic(HealthSettingsStore.TOPIC, new StringSerializer(), serdes.settings().serializer(), START, Duration.ofMillis(1));
        scores = driver.createOutputTopic(Topics.HEALTH_SCORES, new StringDeserializer(), serdes.score().deserializer());
        notifications = driver.createOutputTopic(Topics.NOTIFICATIONS, new StringDeserializer(), serdes.notification().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static Component logins(double weight) {
        return new Component(Source.METRIC, "logins", weight, Direction.HIGHER_IS_BETTER, Normalisation.THRESHOLDS, List.of(0.0, 100.0));
    }

    private static Component tickets() {
        return new Component(Source.METRIC, "tickets", 1, Direction.LOWER_IS_BETTER, Normalisation.THRESHOLDS, List.of(0.0, 20.0));
    }

    private void configure(String workspace, Component... components) {
        HealthSettings s = HealthSettings.empty(workspace)
                .withMetrics(Map.of("logins", ValueKind.NUMBER, "tickets", ValueKind.NUMBER), 1)
                .withMembers(List.of(new HealthSettings.Member("csm@example.com", "CSM"), new HealthSettings.Member("boss@example.com", null)), 1)
                .withScoring(new ScoringConfig(List.of(components), List.of()), 1);
        settings.pipeInput(workspace, s);
    }

    /** One uploaded customer: metric values by date. */
    private void upload(String workspace, String uploadId, int size, String externalId, Map<LocalDate, Map<String, String>> dated) {
        List<DatedMetrics> rows = dated.entrySet().stream()
                .map(e -> DatedMetrics.newBuilder().setMetricDate(e.getKey()).setValues(new HashMap<>(e.getValue())).build()).toList();
        uploads.pipeInput(Topics.key(workspace, externalId), CustomerMetrics.newBuilder().setWorkspaceId(workspace).setExternalId(externalId)
                .setName("Customer " + externalId).setOwnerEmail("csm@example.com").setMetrics(rows).setUploadId(uploadId).setUploadSize(size)
                .setUploadedAt(START).build());
    }

    private void upload(String workspace, String uploadId, int size, String externalId, int logins, double tickets) {
        upload(workspace, uploadId, size, externalId, Map.of(LocalDate.of(2024, 4, 29), Map.of("logins", Integer.toString(logins),
                "tickets", Double.toString(tickets))));
    }

    private Map<String, HealthScore> drainScores() {
        Map<String, HealthScore> out = new LinkedHashMap<>();
        scores.readKeyValuesToList().forEach(kv -> out.put(kv.key, kv.value));
        return out;
    }

    private void quiet() {
        driver.advanceWallClockTime(HealthScoreProcessor.QUIET.plus(HealthScoreProcessor.TICK));
    }

    @Test
    void anUploadIsScoredOnceAllItsCustomersArrivedThenItsMembersAreNotified() {
        configure("ws-a", logins(3), tickets());
        upload("ws-a", "u1", 3, "c1", 80, 5);
        upload("ws-a", "u1", 3, "c2", 10, 20);
        quiet();
        assertThat(scores.isEmpty()).as("not while the upload is still arriving, however quiet").isTrue();
        upload("ws-a", "u1", 3, "c3", 50, 0);
        driver.advanceWallClockTime(HealthScoreProcessor.TICK);
        Map<String, HealthScore> out = drainScores();
        assertThat(out.keySet()).containsExactlyInAnyOrder("ws-a|c1", "ws-a|c2", "ws-a|c3");
        HealthScore c1 = out.get("ws-a|c1");
        assertThat(c1.getScore()).isEqualTo((3 * 80 + 75) / 4.0); // tickets 5 of [0, 20], lower is better → 75
        assertThat(c1.getBand()).isEqualTo("healthy");
        assertThat(c1.getCause()).isEqualTo("upload");
        assertThat(c1.getUploadId()).isEqualTo("u1");
        assertThat(c1.getPreviousScore()).isNull();
        assertThat(c1.getComponents()).extracting(c -> c.getCodename() + "=" + c.getNormalised()).containsExactly("logins=80.0", "tickets=75.0");
        assertThat(out.get("ws-a|c2").getScore()).isEqualTo(7.5);
        assertThat(out.get("ws-a|c2").getBand()).isEqualTo("critical");
        List<Notification> sent = notifications.readValuesToList();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).getUploadId()).isEqualTo("u1");
        assertThat(sent.get(0).getCustomers()).isEqualTo(3);
        assertThat(sent.get(0).getRecipients()).containsExactly("boss@example.com", "csm@example.com");
        assertThat(sent.get(0).getMessage()).contains("3 customers").contains("at_risk 1, critical 1, healthy 1");
    }

    @Test
    void aBusyWorkspaceIsScoredAtMostMaxDelayAfterItsFirstChange() {
        configure("ws-a", logins(1));
        for (int i = 0; i * HealthScoreProcessor.TICK.toMillis() < HealthScoreProcessor.MAX_DELAY.toMillis() + 200; i++) {
            upload("ws-a", "u1", 1000, "c" + i, i, 0);
            driver.advanceWallClockTime(HealthScoreProcessor.TICK);
        }
        assertThat(drainScores()).as("scored although uploads keep coming").isNotEmpty();
        assertThat(notifications.isEmpty()).as("the upload is not complete").isTrue();
    }

    @Test
    void aNewConfigurationRescoresEveryCustomerOfItsWorkspaceAndNoOther() {
        configure("ws-a", logins(1), tickets());
        configure("ws-b", logins(1), tickets());
        for (String ws : List.of("ws-a", "ws-b")) {
            for (int i = 0; i < 5; i++) {
                upload(ws, "u-" + ws, 5, "c" + i, 10 * i, i);
            }
        }
        quiet();
        Map<String, HealthScore> first = drainScores();
        assertThat(first).hasSize(10);
        notifications.readValuesToList();

        configure("ws-a", logins(3), tickets());
        quiet();
        Map<String, HealthScore> rescored = drainScores();
        assertThat(rescored.keySet()).containsExactlyInAnyOrder("ws-a|c0", "ws-a|c1", "ws-a|c2", "ws-a|c3", "ws-a|c4");
        for (int i = 0; i < 5; i++) {
            HealthScore s = rescored.get("ws-a|c" + i);
            double loginsScore = 10.0 * i;
            double ticketsScore = 100 - 5.0 * i;
            assertThat(s.getScore()).isEqualTo(Math.round((3 * loginsScore + ticketsScore) / 4 * 100) / 100.0);
            assertThat(s.getPreviousScore()).isEqualTo(first.get("ws-a|c" + i).getScore());
            assertThat(s.getScoreChange()).isEqualTo(Math.round((s.getScore() - s.getPreviousScore()) * 100) / 100.0);
            assertThat(s.getCause()).isEqualTo("settings");
        }
        assertThat(notifications.isEmpty()).as("a configuration change is not an upload").isTrue();

        settings.pipeInput("ws-b", HealthSettings.empty("ws-b").withMetrics(Map.of("logins", ValueKind.NUMBER, "tickets", ValueKind.NUMBER), 1)
                .withMembers(List.of(new HealthSettings.Member("csm@example.com", "CSM"), new HealthSettings.Member("boss@example.com", null)), 1)
                .withScoring(new ScoringConfig(List.of(logins(1), tickets()), List.of()), 1)
                .withWebhookUrl("https://hooks.example.com/x", 2));
        quiet();
        assertThat(scores.isEmpty()).as("settings whose scoring is unchanged rescore nothing").isTrue();
    }

    @Test
    void withAPercentileComponentTheOthersWhoseRankMovedAreRescored() {
        configure("ws-p", new Component(Source.METRIC, "logins", 1, Direction.HIGHER_IS_BETTER, Normalisation.PERCENTILE, List.of()));
        upload("ws-p", "u1", 2, "c1", 10, 0);
        upload("ws-p", "u1", 2, "c2", 20, 0);
        quiet();
        Map<String, HealthScore> first = drainScores();
        assertThat(first.get("ws-p|c1").getScore()).isEqualTo(0.0);
        assertThat(first.get("ws-p|c2").getScore()).isEqualTo(100.0);
        upload("ws-p", "u2", 1, "c3", 25, 0);
        quiet();
        Map<String, HealthScore> second = drainScores();
        assertThat(second.keySet()).as("c3 is new, c2's rank moved, c1's did not").containsExactlyInAnyOrder("ws-p|c3", "ws-p|c2");
        assertThat(second.get("ws-p|c3").getScore()).isEqualTo(100.0);
        assertThat(second.get("ws-p|c2").getScore()).isEqualTo(50.0);
        assertThat(second.get("ws-p|c2").getCause()).isEqualTo("settings");
        assertThat(notifications.readValuesToList()).extracting(Notification::getUploadId).containsExactly("u1", "u2");
    }

    @Test
    void theLatestDatedValueCountsAcrossUploads() {
        configure("ws-d", logins(1));
        upload("ws-d", "u1", 1, "c", Map.of(LocalDate.of(2024, 1, 1), Map.of("logins", "10"), LocalDate.of(2024, 3, 1), Map.of("logins", "90")));
        quiet();
        assertThat(drainScores().get("ws-d|c").getScore()).isEqualTo(90.0);
        upload("ws-d", "u2", 1, "c", Map.of(LocalDate.of(2024, 2, 1), Map.of("logins", "50")));
        quiet();
        HealthScore older = drainScores().get("ws-d|c");
        assertThat(older.getScore()).as("an earlier date does not replace a later one").isEqualTo(90.0);
        assertThat(older.getScoreChange()).isEqualTo(0.0);
        upload("ws-d", "u3", 1, "c", Map.of(LocalDate.of(2024, 3, 1), Map.of("logins", "30")));
        quiet();
        assertThat(drainScores().get("ws-d|c").getScore()).as("the same date: the later upload wins").isEqualTo(30.0);
        upload("ws-d", "u4", 1, "c", Map.of(LocalDate.of(2024, 3, 2), Map.of("logins", "true")));
        quiet();
        assertThat(drainScores().get("ws-d|c").getScore()).as("true counts 1").isEqualTo(1.0);
    }

    @Test
    void customersUploadedBeforeAnyConfigurationAreScoredWhenOneArrives() {
        upload("ws-late", "u1", 2, "c1", 40, 0);
        upload("ws-late", "u1", 2, "c2", 60, 0);
        quiet();
        assertThat(scores.isEmpty()).isTrue();
        configure("ws-late", logins(1));
        quiet();
        assertThat(drainScores()).hasSize(2);
        assertThat(notifications.readValuesToList()).hasSize(1);
    }
}
