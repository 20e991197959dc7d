package io.tributary.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void rocksDbMetricsOfKeyValueAndWindowStoresAreBothExported() {
        PrometheusMeterRegistry registry = Metrics.prometheusRegistry();
        String name = Metrics.STREAMS_STATE_METRICS + ".block.cache.pinned.usage";
        Gauge.builder(name, () -> 1).tag("task.id", "0_0").tag("rocksdb.window.state.id", "seen-event-ids").register(registry);
        Gauge.builder(name, () -> 2).tag("task.id", "0_0").tag("rocksdb.state.id", "membership-profiles").register(registry);
        Gauge.builder(name, () -> 3).tag("task.id", "0_0").tag("rocksdb.session.state.id", "sessions").register(registry);

        String scrape = registry.scrape();

        assertThat(scrape).contains("kafka_stream_state_block_cache_pinned_usage{rocksdb_state_id=\"seen-event-ids\",task_id=\"0_0\"} 1.0")
                .contains("kafka_stream_state_block_cache_pinned_usage{rocksdb_state_id=\"membership-profiles\",task_id=\"0_0\"} 2.0")
                .contains("kafka_stream_state_block_cache_pinned_usage{rocksdb_state_id=\"sessions\",task_id=\"0_0\"} 3.0");
    }
}
