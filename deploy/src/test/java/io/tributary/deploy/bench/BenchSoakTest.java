package io.tributary.deploy.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --soak}: its duration syntax and the verdict's slopes and thresholds, without running a node. */
class BenchSoakTest {

    @Test
    void durationsAsTheCommandLineGivesThem() {
        assertThat(BenchOptions.parseDuration("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(BenchOptions.parseDuration("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(BenchOptions.parseDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThatThrownBy(() -> BenchOptions.parseDuration("ten minutes")).hasMessageContaining("--soak takes a duration");
        assertThatThrownBy(() -> BenchOptions.parseDuration("")).hasMessageContaining("--soak takes a duration");
        assertThatThrownBy(() -> new BenchOptions("duckdb", "", true, 1_000_000, 20_000, 5, 5, Path.of("x"), false, 10, 10, true,
                Duration.ofSeconds(30))).hasMessageContaining("at least 1m");
    }

    @Test
    void flatMemoryAfterTheWarmUpMinutesIsNoLeak() {
        // start-up growth in minutes 1-2 is left out of the fit; then noise around a level
        List<Map<String, Object>> minutes = minutes(new double[] {80, 120, 131, 129, 130, 132, 128, 131, 130, 129},
                new double[] {700, 900, 950, 951, 949, 952, 950, 951, 950, 950}, new double[] {400, 900, 420, 450, 430, 410, 440, 425, 435, 445});
        Map<String, Object> v = BenchResults.soakVerdict(minutes);
        assertThat(v.get("fitted_from_minute")).isEqualTo(3);
        assertThat((Double) v.get("heap_slope_mib_per_minute")).isLessThan(BenchResults.SOAK_FLAT_MIB_PER_MINUTE);
        assertThat(v.get("flat_no_leak")).isEqualTo(true);
        assertThat(v.get("p99_stable")).isEqualTo(true);
        assertThat(BenchResults.soakVerdictLines(v)).last().isEqualTo("soak verdict: flat, no leak");
    }

    @Test
    void steadyGrowthIsALeakAndItsSlopeIsMeasured() {
        double[] heap = new double[10];
        double[] rss = new double[10];
        double[] p99 = new double[10];
        for (int i = 0; i < 10; i++) {
            heap[i] = 100 + 5 * i;
            rss[i] = 800;
            p99[i] = i == 9 ? 3000 : 400;
        }
        Map<String, Object> v = BenchResults.soakVerdict(minutes(heap, rss, p99));
        assertThat((Double) v.get("heap_slope_mib_per_minute")).isCloseTo(5.0, within(1e-9));
        assertThat((Double) v.get("rss_slope_mib_per_minute")).isCloseTo(0.0, within(1e-9));
        assertThat(v.get("heap_flat")).isEqualTo(false);
        assertThat(v.get("flat_no_leak")).isEqualTo(false);
        assertThat(v.get("p99_stable")).isEqualTo(false);
        assertThat(BenchResults.soakVerdictLines(v)).last().isEqualTo("soak verdict: memory grows: look for a leak");
    }

    @Test
    void rssThatGrowsOnlyInDuckDbsBoundedPoolIsNoLeakButGrowthOutsideItIs() {
        double[] heap = new double[10];
        double[] rss = new double[10];
        double[] pool = new double[10];
        double[] p99 = new double[10];
        for (int i = 0; i < 10; i++) {
            heap[i] = 170;
            pool[i] = 300 + 90 * i; // the cache filling as the database grows
            rss[i] = 900 + pool[i];
            p99[i] = 500;
        }
        Map<String, Object> cache = BenchResults.soakVerdict(minutes(heap, rss, p99, pool));
        assertThat(cache.get("rss_flat")).isEqualTo(false);
        assertThat((Double) cache.get("store_slope_mib_per_minute")).isCloseTo(90.0, within(1e-9));
        assertThat((Double) cache.get("rss_outside_store_slope_mib_per_minute")).isCloseTo(0.0, within(1e-9));
        assertThat(cache.get("flat_no_leak")).isEqualTo(true);
        assertThat(BenchResults.soakVerdictLines(cache)).anyMatch(l -> l.startsWith("soak: RSS outside DuckDB's buffer pool slope +0.00 MiB/min"))
                .last().isEqualTo("soak verdict: flat, no leak");

        for (int i = 0; i < 10; i++) {
            rss[i] = 900 + pool[i] + 10 * i; // 10 MiB a minute besides the pool
        }
        Map<String, Object> leak = BenchResults.soakVerdict(minutes(heap, rss, p99, pool));
        assertThat((Double) leak.get("rss_outside_store_slope_mib_per_minute")).isCloseTo(10.0, within(1e-9));
        assertThat(leak.get("flat_no_leak")).isEqualTo(false);
        assertThat(BenchResults.soakVerdictLines(leak)).last().isEqualTo("soak verdict: memory grows: look for a leak");
    }

    @Test
    void shortSoaksFitEveryMinute() {
        Map<String, Object> v = BenchResults.soakVerdict(minutes(new double[] {100, 101}, new double[] {900, 900}, new double[] {300, 320}));
        assertThat(v.get("fitted_from_minute")).isEqualTo(1);
        assertThat(v.get("warm_up_excluded")).isEqualTo(false);
        assertThat((Double) v.get("heap_slope_mib_per_minute")).isCloseTo(1.0, within(1e-9));
    }

    /** Minutes of a soak on a store in another process (ClickHouse): no buffer pool in the RSS. */
    private static List<Map<String, Object>> minutes(double[] heap, double[] rss, double[] p99) {
        return minutes(heap, rss, p99, null);
    }

    private static List<Map<String, Object>> minutes(double[] heap, double[] rss, double[] p99, double[] pool) {
        List<Map<String, Object>> minutes = new ArrayList<>();
        for (int i = 0; i < heap.length; i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("minute", i + 1);
            m.put("heap_after_gc_mib", heap[i]);
            m.put("rss_mib", rss[i]);
            m.put("store_mib", pool == null ? Double.NaN : pool[i]);
            m.put("rss_outside_store_mib", pool == null ? rss[i] : rss[i] - pool[i]);
            m.put("p99_ms", p99[i]);
            minutes.add(m);
        }
        return minutes;
    }
}
