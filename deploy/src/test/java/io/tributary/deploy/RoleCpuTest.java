package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoleCpuTest {
    @Test
    void cpuSecondsAreTheDifferenceOfTwoSamplesPerRole() {
        RoleCpu earlier = new RoleCpu(Map.of("gateway", Duration.ofMillis(1_500), "kafka", Duration.ofSeconds(4)));
        RoleCpu later = new RoleCpu(Map.of("gateway", Duration.ofMillis(4_000), "query", Duration.ofSeconds(1)));

        assertThat(later.secondsSince(earlier, "gateway")).contains(2.5);
        assertThat(later.secondsSince(earlier, "kafka")).as("no longer sampled").isEmpty();
        assertThat(later.secondsSince(earlier, "query")).as("not sampled before").isEmpty();
    }

    @Test
    void aProcessThatWorksShowsCpuTimeAndARoleWithoutProcessesIsLeftOut() {
        ProcessHandle self = ProcessHandle.current();
        RoleCpu before = RoleCpu.of(Map.of("test", List.of(self), "none", List.of()));
        // busy until this thread alone has used 200 ms of CPU: the process has used at least that much more
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long until = threads.getCurrentThreadCpuTime() + Duration.ofMillis(200).toNanos();
        long sum = 0;
        while (threads.getCurrentThreadCpuTime() < until) {
            sum += Long.numberOfTrailingZeros(System.nanoTime());
        }
        RoleCpu after = RoleCpu.of(Map.of("test", List.of(self), "none", List.of()));

        assertThat(sum).isPositive();
        assertThat(after.secondsSince(before, "test")).hasValueSatisfying(seconds -> assertThat(seconds).isGreaterThanOrEqualTo(0.19));
        assertThat(after.byRole()).doesNotContainKey("none");
    }
}
