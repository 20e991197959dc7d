package io.tributary.deploy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatenciesTest {
    @Test
    void percentilesAreNearestRankInMilliseconds() {
        Latencies l = new Latencies();
        for (int i = 1; i <= 200; i++) {
            l.add(i * 1_000_000L);
        }
        assertThat(l.percentileMs(0.5)).isEqualTo(100.0);
        assertThat(l.percentileMs(0.99)).isEqualTo(198.0);
        assertThat(l.maxMs()).isEqualTo(200.0);
        assertThat(new Latencies().percentileMs(0.5)).isNaN();
    }

    @Test
    void slowestNamesTheCallsInTheOrderTheyWereAdded() {
        Latencies l = new Latencies();
        long[] ms = {5, 90, 7, 6, 40, 8};
        for (long m : ms) {
            l.add(m * 1_000_000L + 123_456L);
        }
        assertThat(l.slowest(3)).containsExactly(List.of(2, 90.12), List.of(5, 40.12), List.of(6, 8.12));
        assertThat(l.slowest(10)).hasSize(6);
    }
}
