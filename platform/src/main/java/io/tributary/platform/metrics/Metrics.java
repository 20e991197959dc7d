package io.tributary.platform.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The process's Prometheus registry, with JVM and process metrics bound. */
public final class Metrics {
    /** Kafka Streams' RocksDB metrics (group stream-state-metrics), as Micrometer names them. */
    static final String STREAMS_STATE_METRICS = "kafka.stream.state";
    static final String STATE_ID_TAG = "rocksdb.state.id";

    private Metrics() {
    }

    public static PrometheusMeterRegistry prometheusRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Kafka Streams tags a RocksDB metric rocksdb-state-id, rocksdb-window-state-id or
        // rocksdb-session-state-id by store type. Prometheus needs one set of label names per metric,
        // so without this the first store type to register wins and the others' meters are dropped
        // (with a WARN). The store name stays the label's value.
        registry.config()
                .meterFilter(MeterFilter.renameTag(STREAMS_STATE_METRICS, "rocksdb.window.state.id", STATE_ID_TAG))
                .meterFilter(MeterFilter.renameTag(STREAMS_STATE_METRICS, "rocksdb.session.state.id", STATE_ID_TAG));
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }
}
