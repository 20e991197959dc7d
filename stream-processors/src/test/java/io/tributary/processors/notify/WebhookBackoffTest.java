package io.tributary.processors.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WebhookBackoffTest {
    @Test
    void theFirstAttemptIsImmediateThenOneSecondDoublingUpToSixty() {
        List<Long> seconds = IntStream.rangeClosed(1, 12).mapToObj(WebhookBackoff::before).map(Duration::toSeconds).toList();
        assertThat(seconds).containsExactly(0L, 1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L, 60L, 60L);
    }

    @Test
    void theCapHoldsForAnyAttemptNumber() {
        assertThat(WebhookBackoff.before(64)).isEqualTo(Duration.ofSeconds(60));
        assertThat(WebhookBackoff.before(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(60));
        assertThatThrownBy(() -> WebhookBackoff.before(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theWorstCaseAddsEveryWaitAndEveryCallTimeout() {
        Duration call = Duration.ofSeconds(10);
        assertThat(WebhookBackoff.worstCase(1, call)).isEqualTo(Duration.ofSeconds(10));
        // the default 6 attempts: waits 1 + 2 + 4 + 8 + 16 = 31 s, calls 6 × 10 s
        assertThat(WebhookBackoff.worstCase(6, call)).isEqualTo(Duration.ofSeconds(91));
        // the most the setting allows, 20: waits 1..32 (63 s) + 13 × 60 s, calls 200 s
        assertThat(WebhookBackoff.worstCase(20, call)).isEqualTo(Duration.ofSeconds(63 + 13 * 60 + 200));
    }

    @Test
    void theDispatchersConsumerMayTakeTheWorstCasePerRecord() {
        var props = WebhookDispatcher.consumerConfig(java.util.Map.of("group.id", "g"), 20);
        assertThat(props).containsEntry("max.poll.records", 1)
                .containsEntry("group.id", "g");
        assertThat((Integer) props.get("max.poll.interval.ms")).isEqualTo((63 + 13 * 60 + 200 + 60) * 1000);
    }
}
