package io.tributary.processors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.tributary.platform.health.HealthSettingsStore;
import io.tributary.platform.kafka.ConsumerGroups;
import io.tributary.platform.kafka.KafkaClients;
import io.tributary.platform.kafka.TopicSpec;
import io.tributary.platform.store.AnalyticsStore;
import io.tributary.processors.health.HealthScoreTopology;
import io.tributary.processors.health.HealthSerdes;
import io.tributary.processors.notify.WebhookDispatcher;
import io.tributary.processors.sink.DeadLetters;
import io.tributary.processors.sink.SinkDefinition;
import io.tributary.processors.sink.StoreSink;
import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.Notification;
import io.tributary.schemas.registry.SchemaRegistry;
import io.tributary.schemas.serde.AvroDeserializer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processors role: the customer-analytics Kafka Streams application (exactly-once: statistics
 * and segment membership), the health-score application, the store sinks of
 * {@link SinkDefinition#ALL} and the {@link WebhookDispatcher}, each of these on its own thread.
 */
public final class StreamProcessors implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamProcessors.class);

    /** What the processors need; durations and sizes come from the typed config. */
    public record Settings(Path stateDir, short replicationFactor, int sinkBatchRows, Duration sinkLinger, Duration dedupRetention,
                           int webhookAttempts) {
    }

    private final KafkaStreams streams;
    private final KafkaStreams healthStreams;
    private final List<StoreSink<?>> sinks;
    private final WebhookDispatcher webhooks;
    private final List<Thread> threads;
    private final KafkaProducer<byte[], byte[]> deadLetterProducer;
    private final List<AutoCloseable> metricBinders;

    private StreamProcessors(KafkaStreams streams, KafkaStreams healthStreams, List<StoreSink<?>> sinks, WebhookDispatcher webhooks,
                             List<Thread> threads, KafkaProducer<byte[], byte[]> deadLetterProducer, List<AutoCloseable> metricBinders) {
        this.streams = streams;
        this.healthStreams = healthStreams;
        this.sinks = sinks;
        this.webhooks = webhooks;
        this.threads = threads;
        this.deadLetterProducer = deadLetterProducer;
        this.metricBinders = metricBinders;
    }

    /** Topics this role reads or writes, for TopicBootstrap. */
    public static List<TopicSpec> topics(int partitions) {
        return List.of(
                TopicSpec.compacted(Topics.CUSTOMER_STATS, partitions),
                TopicSpec.compacted(Topics.CUSTOMER_PROFILES, partitions),
                TopicSpec.compacted(Topics.CUSTOMER_SEGMENTS, partitions),
                TopicSpec.appendOnly(Topics.SEGMENT_MEMBERSHIP, partitions),
                TopicSpec.appendOnly(Topics.CUSTOMER_METRICS, partitions),
                TopicSpec.appendOnly(Topics.HEALTH_SCORES, partitions),
                TopicSpec.appendOnly(Topics.NOTIFICATIONS, partitions),
                TopicSpec.appendOnly(DeadLetters.TOPIC, 1));
    }

    /** Starts everything; {@code healthSettings} gives the webhook dispatcher each workspace's webhook URL. */
    public static StreamProcessors start(KafkaClients kafka, SchemaRegistry registry, AnalyticsStore store, HealthSettingsStore healthSettings,
                                         MeterRegistry metrics, Settings settings) {
        List<AutoCloseable> binders = new ArrayList<>();
        KafkaProducer<byte[], byte[]> dlqProducer = kafka.producer("tributary-dead-letters", new ByteArraySerializer(), new ByteArraySerializer());
        DeadLetters deadLetters = new DeadLetters(dlqProducer);

        Topology topology = CustomerAnalyticsTopology.build(AnalyticsSerdes.of(registry), settings.dedupRetention(), StateStores.PERSISTENT);
        KafkaStreams streams = startStreams("customer-analytics", topology, streamsConfig(kafka, settings, ConsumerGroups.CUSTOMER_ANALYTICS_APP, deadLetters),
                metrics, binders);
        // a separate application (own thread, own lag) so that a large upload's scoring never delays event statistics
        KafkaStreams healthStreams = startStreams("health-scores", HealthScoreTopology.build(HealthSerdes.of(registry), StateStores.PERSISTENT),
                streamsConfig(kafka, settings, ConsumerGroups.HEALTH_SCORES_APP, deadLetters), metrics, binders);

        List<StoreSink<?>> sinks = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (SinkDefinition<?> definition : SinkDefinition.ALL) {
            StoreSink<?> sink = sink(definition, kafka, registry, store, deadLetters, metrics, settings, binders);
            Thread thread = new Thread(sink, "sink-" + definition.name());
            thread.start();
            sinks.add(sink);
            threads.add(thread);
        }
        WebhookDispatcher webhooks = webhookDispatcher(kafka, registry, healthSettings, metrics, settings, binders);
        Thread webhookThread = new Thread(webhooks, "webhook-dispatcher");
        webhookThread.start();
        threads.add(webhookThread);
        LOG.info("stream processors started: customer-analytics topology, sinks {}, webhook dispatcher", sinks.stream().map(StoreSink::name).toList());
        return new StreamProcessors(streams, healthStreams, sinks, webhooks, threads, dlqProducer, binders);
    }

    private static WebhookDispatcher webhookDispatcher(KafkaClients kafka, SchemaRegistry registry, HealthSettingsStore healthSettings,
                                                       MeterRegistry metrics, Settings settings, List<AutoCloseable> binders) {
        Map<String, Object> props = WebhookDispatcher.consumerConfig(kafka.consumerConfig("tributary-webhooks", ConsumerGroups.WEBHOOKS),
                settings.webhookAttempts());
        return new WebhookDispatcher(consumer(props, metrics, binders), AvroDeserializer.specific(registry, Notification.class),
                WebhookDispatcher.webhookUrls(healthSettings), settings.webhookAttempts(), metrics);
    }

    private static KafkaStreams startStreams(String name, Topology topology, Properties config, MeterRegistry metrics, List<AutoCloseable> binders) {
        KafkaStreams streams = new KafkaStreams(topology, config);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("{} stream thread failed; replacing it", name, e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(metrics);
        binders.add(streamsMetrics);
        streams.setStateListener((next, previous) -> LOG.info("{} streams {} -> {}", name, previous, next));
        streams.start();
        return streams;
    }

    private static <T extends SpecificRecord> StoreSink<T> sink(SinkDefinition<T> definition, KafkaClients kafka, SchemaRegistry registry,
                                                               AnalyticsStore store, DeadLetters deadLetters, MeterRegistry metrics,
                                                               Settings settings, List<AutoCloseable> binders) {
        Map<String, Object> props = kafka.consumerConfig("tributary-sink-" + definition.name(), ConsumerGroups.sink(definition.topic()));
        props.put("max.poll.records", StoreSink.maxPollRecords(definition, settings.sinkBatchRows()));
        return new StoreSink<>(definition, consumer(props, metrics, binders), AvroDeserializer.specific(registry, definition.type()), store,
                deadLetters, settings.sinkBatchRows(), settings.sinkLinger(), metrics, Clock.systemUTC());
    }

    /** A consumer of raw records whose client metrics are bound to {@code metrics} until the role stops. */
    private static KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> props, MeterRegistry metrics, List<AutoCloseable> binders) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaClientMetrics consumerMetrics = new KafkaClientMetrics(consumer);
        consumerMetrics.bindTo(metrics);
        binders.add(consumerMetrics);
        return consumer;
    }

    private static Properties streamsConfig(KafkaClients kafka, Settings settings, String applicationId, DeadLetters deadLetters) {
        Properties props = new Properties();
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
        props.put(DeadLetterDeserializationHandler.DEAD_LETTERS_CONFIG, deadLetters);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) settings.replicationFactor());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.producerPrefix("compression.type"), "lz4");
        props.put(StreamsConfig.producerPrefix("linger.ms"), 5);
        // Membership must follow a change within a second: exactly-once commits (which make output
        // visible to read_committed readers, and flush the record cache) every 100 ms. The cache
        // folds a customer's burst of events into one aggregate update per commit, so a bulk load
        // does not write every intermediate aggregate to the changelog, customer_stats and membership.
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 32L * 1024 * 1024);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        // Kafka Streams keeps its members in the group on close (for static members, which come
        // back under their group.instance.id). Ours are dynamic: the next start (this node restarted
        // on its data dir, or the role started again) joins under a new member id, and the
        // coordinator holds that rebalance until the old member's session.timeout.ms (45 s) has
        // run out; the app sits in REBALANCING, and a close in that window waits for the join as
        // well. Neither CloseOptions.leaveGroup (static members only) nor removeStreamThread
        // (its unsubscribe obeys this setting) sends a LeaveGroup in Kafka 4.1, so a clean close
        // leaves the group through the main consumer's own close setting.
        props.put(StreamsConfig.mainConsumerPrefix("internal.leave.group.on.close"), true);
        return props;
    }

    /** Waits until the streams application is RUNNING (partitions assigned, state restored). */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (streams.state() == KafkaStreams.State.RUNNING && healthStreams.state() == KafkaStreams.State.RUNNING) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return streams.state() == KafkaStreams.State.RUNNING && healthStreams.state() == KafkaStreams.State.RUNNING;
    }

    /** The state of the two streams applications: the customer-analytics one's, unless the health-score one's is worse. */
    public KafkaStreams.State streamsState() {
        KafkaStreams.State analytics = streams.state();
        return analytics == KafkaStreams.State.RUNNING ? healthStreams.state() : analytics;
    }

    @Override
    public void close() {
        webhooks.close();
        for (StoreSink<?> sink : sinks) {
            sink.close();
        }
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        streams.close(Duration.ofSeconds(30));
        healthStreams.close(Duration.ofSeconds(30));
        deadLetterProducer.close(Duration.ofSeconds(10));
        for (AutoCloseable binder : metricBinders) {
            try {
                binder.close();
            } catch (Exception e) {
                LOG.debug("closing metrics binder", e);
            }
        }
        LOG.info("stream processors stopped");
    }
}
