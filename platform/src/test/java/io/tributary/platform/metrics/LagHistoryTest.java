package io.tributary.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class LagHistoryTest {
    private static final TopicPartition P0 = new TopicPartition("customer_events", 0);
    private static final TopicPartition P1 = new TopicPartition("customer_events", 1);

    private static LagHistory.Measurement m(String group, TopicPartition tp, long end, long committed, Double seconds) {
        return new LagHistory.Measurement(group, tp, end, committed, end - committed, seconds);
    }

    @Test
    void ratesNeedTwoSamplesAndAreOffsetGrowthPerSecond() {
        LagHistory history = new LagHistory(600_000);
        history.add(new LagHistory.Sample(1_000, List.of(m("sink", P0, 100, 100, 0.0), m("app", P0, 100, 90, 3.5))));
        assertThat(history.current()).allSatisfy(s -> {
            assertThat(s.consumeRate()).isNull();
            assertThat(s.produceRate()).isNull();
        });
        history.add(new LagHistory.Sample(6_000, List.of(m("sink", P0, 150, 100, 4.0), m("app", P0, 150, 150, 0.0))));
        List<LagHistory.PartitionStatus> now = history.current();
        assertThat(now).extracting(LagHistory.PartitionStatus::group).containsExactly("app", "sink");
        LagHistory.PartitionStatus app = now.get(0);
        assertThat(app.consumeRate()).isEqualTo(12.0);   // 60 records in 5 s
        assertThat(app.produceRate()).isEqualTo(10.0);   // 50 records in 5 s
        LagHistory.PartitionStatus sink = now.get(1);
        assertThat(sink.lag()).isEqualTo(50);
        assertThat(sink.lagSeconds()).isEqualTo(4.0);
        assertThat(sink.consumeRate()).isEqualTo(0.0);
    }

    @Test
    void seriesSumsPartitionsPerGroupAndCountsATopicsProductionOnce() {
        LagHistory history = new LagHistory(600_000);
        history.add(new LagHistory.Sample(0, List.of(m("a", P0, 10, 10, 0.0), m("a", P1, 20, 20, 0.0), m("b", P0, 10, 0, 1.0))));
        history.add(new LagHistory.Sample(2_000, List.of(m("a", P0, 30, 10, 1.0), m("a", P1, 40, 40, 0.0), m("b", P0, 30, 30, 0.0))));
        List<LagHistory.Point> series = history.series();
        assertThat(series).hasSize(2);
        assertThat(series.get(0).groupLag()).containsEntry("a", 0L).containsEntry("b", 10L);
        assertThat(series.get(0).groupConsumeRate()).isEmpty();
        LagHistory.Point second = series.get(1);
        assertThat(second.groupLag()).containsEntry("a", 20L).containsEntry("b", 0L);
        assertThat(second.groupConsumeRate()).containsEntry("a", 10.0).containsEntry("b", 15.0);
        assertThat(second.topicProduceRate()).containsEntry("customer_events", 20.0); // (20 + 20) / 2 s, not doubled by group b
    }

    @Test
    void keepsOnlyTheWindowAndTreatsResetOffsetsAsNoProgress() {
        LagHistory history = new LagHistory(10_000);
        for (int i = 0; i <= 10; i++) {
            history.add(new LagHistory.Sample(i * 5_000L, List.of(m("a", P0, 100, i == 10 ? 0 : 100, null))));
        }
        assertThat(history.series()).extracting(LagHistory.Point::atMillis).containsExactly(40_000L, 45_000L, 50_000L);
        assertThat(history.current().get(0).consumeRate()).isEqualTo(0.0);
        assertThat(history.current().get(0).lagSeconds()).isNull();
    }
}
