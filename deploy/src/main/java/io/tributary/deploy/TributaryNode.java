package io.tributary.deploy;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.gateway.entities.EntitiesApi;
import io.tributary.gateway.upload.CustomerUploadRoutes;
import io.tributary.gateway.upload.CustomerUploads;
import io.tributary.platform.health.HealthSettingsRoutes;
import io.tributary.platform.health.HealthSettingsStore;
import io.tributary.query.health.HealthReadRoutes;
import io.tributary.query.health.HealthReads;
import io.tributary.gateway.events.EventsApi;
import io.tributary.gateway.events.EventsLimits;
import io.tributary.platform.auth.RequestAuth;
import io.tributary.platform.auth.TokenAdminRoutes;
import io.tributary.platform.auth.TokenStore;
import io.tributary.platform.auth.WorkspaceRoutes;
import io.tributary.platform.auth.Workspaces;
import io.tributary.platform.config.ConfigException;
import io.tributary.platform.config.Setting;
import io.tributary.platform.config.StoreKind;
import io.tributary.platform.config.TributaryConfig;
import io.tributary.platform.http.HttpRoutes;
import io.tributary.platform.http.HttpServer;
import io.tributary.platform.http.TokenBucketLimiter;
import io.tributary.platform.http.ReadinessCheck;
import io.tributary.platform.idempotency.IdempotencyStore;
import io.tributary.platform.idempotency.IdempotentRequests;
import io.tributary.platform.kafka.ConsumerGroupProgress;
import io.tributary.platform.kafka.EmbeddedKafkaBroker;
import io.tributary.platform.kafka.KafkaClients;
import io.tributary.platform.kafka.TopicBootstrap;
import io.tributary.platform.kafka.TopicSpec;
import io.tributary.platform.metrics.ConsumerLagMetrics;
import io.tributary.platform.metrics.Metrics;
import io.tributary.platform.kafka.ConsumerGroups;
import io.tributary.schemas.Topics;
import io.tributary.platform.registry.EmbeddedSchemaRegistry;
import io.tributary.platform.registry.SchemaRegistryRoutes;
import io.tributary.platform.store.AnalyticsStore;
import io.tributary.platform.store.clickhouse.ClickHouseConfig;
import io.tributary.platform.store.clickhouse.ClickHouseStore;
import io.tributary.platform.store.duckdb.DuckDbStore;
import io.tributary.processors.StreamProcessors;
import io.tributary.processors.sink.SinkDefinition;
import io.tributary.processors.sink.StoreRebuild;
import io.tributary.query.entities.CustomerActivity;
import io.tributary.query.entities.CustomerCohorts;
import io.tributary.query.entities.CustomerReadRoutes;
import io.tributary.query.entities.CustomerReads;
import io.tributary.query.entities.EntityReadRoutes;
import io.tributary.query.entities.EntityReadSpec;
import io.tributary.query.entities.EntityReads;
import io.tributary.query.ops.OpsRoutes;
import io.tributary.query.pipes.PipeCatalog;
import io.tributary.query.pipes.PipeEngine;
import io.tributary.query.pipes.PipeRoutes;
import io.tributary.schemas.registry.HttpSchemaRegistryClient;
import io.tributary.schemas.registry.SchemaRegistry;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Tributary process: the roles it was asked for, the components they need (embedded
 * broker and registry when no external ones are given, the store), and one HTTP server with the
 * routes of those roles. Closing it stops everything in reverse start order.
 */
public final class TributaryNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TributaryNode.class);
    public static final String REGISTRY_PATH = "/schema-registry";

    private final Deque<AutoCloseable> resources;
    private final HttpServer http;
    private final String kafkaBootstrap;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread shutdownHook;

    private final Optional<AnalyticsStore> store;
    private final Optional<ProcessorsRole> processors;

    private TributaryNode(Deque<AutoCloseable> resources, HttpServer http, String kafkaBootstrap, Optional<AnalyticsStore> store,
                          Optional<ProcessorsRole> processors, boolean installHook) {
        this.resources = resources;
        this.store = store;
        this.processors = processors;
        this.http = http;
        this.kafkaBootstrap = kafkaBootstrap;
        this.shutdownHook = installHook ? new Thread(this::close, "tributary-shutdown") : null;
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** Starts the roles; {@code out} receives the start-up summary and, once, a generated admin token. */
    public static TributaryNode start(TributaryConfig config, Set<Role> roles, PrintWriter out) {
        return start(config, roles, out, true);
    }

    /** As {@link #start(TributaryConfig, Set, PrintWriter)}; tests pass {@code installShutdownHook=false}. */
    public static TributaryNode start(TributaryConfig config, Set<Role> roles, PrintWriter out, boolean installShutdownHook) {
        return start(config, roles, out, installShutdownHook, false);
    }

    /**
     * As above; with {@code rebuildStore} the processors role first empties the store's tables and
     * resets its sinks so that they replay every topic from offset zero (see StoreRebuild).
     */
    public static TributaryNode start(TributaryConfig config, Set<Role> roles, PrintWriter out, boolean installShutdownHook,
                                      boolean rebuildStore) {
        validate(config, roles, rebuildStore);
        long started = System.nanoTime();
        out.println("tributary: starting " + roles + " with");
        config.describe().forEach(line -> out.println("  " + line));
        out.flush();

        Deque<AutoCloseable> resources = new ArrayDeque<>();
        try {
            PrometheusMeterRegistry metrics = Metrics.prometheusRegistry();
            resources.push(metrics::close);

            Backbone backbone = startBackbone(config, resources);
            String bootstrap = backbone.bootstrap();
            KafkaClients kafka = backbone.kafka();
            Admin admin = backbone.admin();
            SchemaRegistry registry = backbone.registry();
            List<ConsumerLagMetrics.WatchedGroup> watched = new ArrayList<>();
            SinkDefinition.ALL.forEach(sink -> watched.add(new ConsumerLagMetrics.WatchedGroup(ConsumerGroups.sink(sink.topic()), List.of(sink.topic()))));
            watched.add(new ConsumerLagMetrics.WatchedGroup(ConsumerGroups.CUSTOMER_ANALYTICS_APP,
                    List.of(Topics.CUSTOMER_EVENTS, Topics.CUSTOMER_PROFILES, Topics.CUSTOMER_SEGMENTS)));
            watched.add(new ConsumerLagMetrics.WatchedGroup(ConsumerGroups.HEALTH_SCORES_APP, List.of(Topics.CUSTOMER_METRICS, HealthSettingsStore.TOPIC)));
            watched.add(new ConsumerLagMetrics.WatchedGroup(ConsumerGroups.WEBHOOKS, List.of(Topics.NOTIFICATIONS)));
            ConsumerLagMetrics lag = ConsumerLagMetrics.start(admin, kafka, metrics, watched, Duration.ofSeconds(5));
            resources.push(lag);

            TokenStore tokens = TokenStore.start(kafka, config.replicationFactor(), Duration.ofSeconds(30), Clock.systemUTC());
            resources.push(tokens);
            Optional<String> generated = tokens.ensureAdminToken(config.adminToken());
            RequestAuth auth = new RequestAuth(tokens).withWriteLimit(
                    new TokenBucketLimiter(config.writes().ratePerSecond(), config.writes().burst(), System::nanoTime));
            Workspaces workspaces = Workspaces.start(kafka, config.replicationFactor(), Duration.ofSeconds(30), Clock.systemUTC());
            resources.push(workspaces);
            HealthSettingsStore healthSettings = HealthSettingsStore.start(kafka, config.replicationFactor(), Duration.ofSeconds(30), Clock.systemUTC());
            resources.push(healthSettings);

            List<HttpRoutes> routes = new ArrayList<>();
            List<ReadinessCheck> readiness = new ArrayList<>();
            readiness.add(new ReadinessCheck("kafka", () -> admin.describeCluster().nodes().get(5, TimeUnit.SECONDS)));
            if (config.embeddedRegistry()) {
                routes.add(new SchemaRegistryRoutes(REGISTRY_PATH, registry, auth));
            }

            AnalyticsStore store = null;
            ProcessorsRole processors = null;
            if (roles.contains(Role.PROCESSORS) || roles.contains(Role.QUERY)) {
                store = openStore(config);
                resources.push(store);
                store.migrate();
                AnalyticsStore ready = store;
                readiness.add(new ReadinessCheck("store", ready::ping));
            }
            if (roles.contains(Role.PROCESSORS)) {
                if (rebuildStore) {
                    StoreRebuild rebuild = StoreRebuild.prepare(admin, store, SinkDefinition.ALL);
                    out.printf("tributary: rebuilding the store: replaying %d records from offset zero (progress in the log)%n", rebuild.totalRecords());
                    Thread progress = new Thread(() -> {
                        try {
                            rebuild.awaitCaughtUp(Duration.ofSeconds(2), Duration.ofDays(1));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }, "store-rebuild-progress");
                    progress.setDaemon(true);
                    progress.start();
                    resources.push(progress::interrupt);
                }
                AnalyticsStore sinkStore = store;
                SchemaRegistry sinkRegistry = registry;
                processors = new ProcessorsRole(() -> StreamProcessors.start(kafka, sinkRegistry, sinkStore, healthSettings, metrics,
                        new StreamProcessors.Settings(config.dataDir().resolve("streams"), config.replicationFactor(),
                                config.sinkBatchRows(), config.sinkLinger(), config.dedupRetention(), config.webhookAttempts())));
                processors.start();
                resources.push(processors);
                ProcessorsRole role = processors;
                readiness.add(new ReadinessCheck("stream-processors", () -> {
                    KafkaStreams.State state = role.streamsState();
                    if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
                        throw new IllegalStateException("customer-stats streams are " + state);
                    }
                }));
            }
            if (roles.contains(Role.GATEWAY)) {
                ConsumerGroupProgress progress = ConsumerGroupProgress.start(admin);
                resources.push(progress);
                EventsLimits limits = EventsLimits.defaults()
                        .withMaxBodyBytes(config.maxBodyBytes())
                        .withMaxDecodedBytes(Math.max(config.maxBodyBytes(), Math.min(5 * config.maxBodyBytes(), Integer.MAX_VALUE - 16L)))
                        .withWaitTimeout(config.waitTimeout());
                IdempotencyStore idempotency = IdempotencyStore.start(kafka, config.replicationFactor(), config.idempotencyRetention(),
                        Duration.ofSeconds(30), Clock.systemUTC());
                resources.push(idempotency);
                IdempotentRequests idempotent = new IdempotentRequests(idempotency);
                routes.add(idempotent);
                // the POST routes below honour Idempotency-Key; token creation does not: its answer holds the new token, never stored
                RequestAuth writes = auth.withIdempotency(idempotent);
                EventsApi events = new EventsApi(kafka, registry, writes, progress, metrics, limits);
                resources.push(events);
                routes.add(events.routes());
                EntitiesApi entities = new EntitiesApi(kafka, registry, writes, workspaces, progress, config.replicationFactor(),
                        config.waitTimeout());
                resources.push(entities);
                routes.addAll(entities.routes());
                CustomerUploads uploads = new CustomerUploads(kafka, registry, entities.customers(), config.uploads().maxCustomers(), Clock.systemUTC());
                resources.push(uploads);
                routes.add(new CustomerUploadRoutes(uploads, healthSettings, writes, config.uploads().ratePerMinute(), config.uploads().burst(),
                        config.uploads().maxBytes()));
                routes.add(HealthSettingsRoutes.writes(healthSettings, auth));
                routes.add(TokenAdminRoutes.writes(tokens, auth));
                routes.add(WorkspaceRoutes.writes(workspaces, auth));
            }
            if (roles.contains(Role.QUERY)) {
                PipeCatalog pipes = PipeCatalog.fromClasspath(TributaryNode.class.getClassLoader());
                routes.add(new PipeRoutes(new PipeEngine(pipes, store), auth, metrics));
                routes.add(new OpsRoutes(lag, metrics, readiness, auth));
                for (EntityReadSpec spec : List.of(EntityReadSpec.CUSTOMER_INSIGHTS, EntityReadSpec.CUSTOMER_SEGMENTS)) {
                    routes.add(new EntityReadRoutes(new EntityReads(spec, store), auth));
                }
                routes.add(TokenAdminRoutes.reads(tokens, auth));
                routes.add(WorkspaceRoutes.reads(workspaces, auth));
                routes.add(HealthSettingsRoutes.reads(healthSettings, auth));
                routes.add(new HealthReadRoutes(new HealthReads(store), healthSettings, auth));
                routes.add(new CustomerReadRoutes(new CustomerReads(store), new CustomerActivity(store), new CustomerCohorts(store), auth, workspaces,
                        config.snapshotTtl(), metrics));
            }

            HttpServer http = HttpServer.start(config.httpHost(), config.httpPort(), config.maxBodyBytes(), metrics, readiness, routes);
            resources.push(http);

            double seconds = (System.nanoTime() - started) / 1e9;
            String host = config.httpHost().equals("0.0.0.0") ? "localhost" : config.httpHost();
            out.printf("tributary: up in %.1f s, serving http://%s:%d (%s)%n", seconds, host, http.port(), roles);
            out.printf("  kafka      %s%s%n", bootstrap, config.embeddedKafka() ? " (embedded, data in " + config.dataDir() + ")" : "");
            out.printf("  registry   %s%n", config.embeddedRegistry()
                    ? "http://" + host + ":" + http.port() + REGISTRY_PATH + " (embedded)" : config.schemaRegistryUrl().orElseThrow());
            if (store != null) {
                out.printf("  store      %s%n", describeStore(config));
            }
            generated.ifPresent(token -> {
                out.println("  admin token (printed this once; keep it, or set TRIBUTARY_ADMIN_TOKEN):");
                out.println("    " + token);
            });
            out.flush();
            return new TributaryNode(resources, http, bootstrap, Optional.ofNullable(store), Optional.ofNullable(processors),
                    installShutdownHook);
        } catch (RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    private static void validate(TributaryConfig config, Set<Role> roles, boolean rebuildStore) {
        if (rebuildStore && !roles.contains(Role.PROCESSORS)) {
            throw new ConfigException("--rebuild-store needs the processors role (up, all or processors): the sinks replay the topics");
        }
        boolean allInOne = roles.containsAll(EnumSet.allOf(Role.class));
        if (!allInOne && config.embeddedKafka()) {
            throw new ConfigException("the " + roles + " role runs against an external Kafka: set " + Setting.KAFKA_BOOTSTRAP.flag()
                    + " (" + Setting.KAFKA_BOOTSTRAP.envVar() + "); the embedded broker runs only with `up` or `all`");
        }
        if (!allInOne && config.embeddedRegistry()) {
            throw new ConfigException("the " + roles + " role needs a shared schema registry: set " + Setting.SCHEMA_REGISTRY_URL.flag()
                    + " (" + Setting.SCHEMA_REGISTRY_URL.envVar() + "); the embedded registry runs only with `up` or `all`");
        }
        boolean needsStore = roles.contains(Role.PROCESSORS) || roles.contains(Role.QUERY);
        boolean sharesStore = roles.contains(Role.PROCESSORS) && roles.contains(Role.QUERY);
        if (needsStore && !sharesStore && config.store() == StoreKind.DUCKDB) {
            throw new ConfigException("DuckDB is an embedded, single-process store: the processors and query roles can use it only together "
                    + "(`up` or `all`); set " + Setting.STORE.flag() + " clickhouse for separate roles");
        }
    }

    /** Kafka with the topics every role uses, an admin client on it, and the schema registry. */
    record Backbone(String bootstrap, KafkaClients kafka, Admin admin, SchemaRegistry registry) {
    }

    /**
     * Starts the embedded broker on the data dir (unless {@code --kafka-bootstrap} is given) and the
     * embedded registry (unless {@code --schema-registry-url} is given), creates missing topics;
     * whatever must be closed is pushed on {@code resources}. What `tributary replay` shares with a node.
     */
    static Backbone startBackbone(TributaryConfig config, Deque<AutoCloseable> resources) {
        String bootstrap;
        if (config.embeddedKafka()) {
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(config.dataDir().resolve("kafka"), config.kafkaPort());
            resources.push(broker);
            bootstrap = broker.bootstrapServers();
        } else {
            bootstrap = config.kafkaBootstrap().orElseThrow();
        }
        KafkaClients kafka = new KafkaClients(bootstrap);
        Admin admin = kafka.admin("tributary-admin");
        resources.push(admin);
        List<TopicSpec> topics = new ArrayList<>(EventsApi.topics(config.partitions()));
        topics.addAll(StreamProcessors.topics(config.partitions()));
        topics.addAll(EntitiesApi.topics(config.partitions(), config.piiScrubWithin()));
        topics.add(TopicSpec.compacted(HealthSettingsStore.TOPIC, 1));
        TopicBootstrap.ensureTopics(admin, topics, config.replicationFactor());
        SchemaRegistry registry;
        if (config.embeddedRegistry()) {
            EmbeddedSchemaRegistry embedded = EmbeddedSchemaRegistry.start(kafka, config.replicationFactor());
            resources.push(embedded);
            registry = embedded;
        } else {
            registry = registryClient(config);
        }
        return new Backbone(bootstrap, kafka, admin, registry);
    }

    /** The store as the start-up summary names it. */
    static String describeStore(TributaryConfig config) {
        return config.store() == StoreKind.DUCKDB ? "duckdb " + config.duckdbPath()
                : "clickhouse " + config.clickhouseUrl() + " database " + config.clickhouseDatabase()
                        + config.clickhouseCluster().map(c -> " on cluster " + c).orElse("");
    }

    private static SchemaRegistry registryClient(TributaryConfig config) {
        HttpSchemaRegistryClient.Builder builder = HttpSchemaRegistryClient.builder(config.schemaRegistryUrl().orElseThrow().toString());
        config.schemaRegistryAuth().ifPresent(credentials -> {
            int colon = credentials.indexOf(':');
            if (colon >= 0) {
                builder.basicAuth(credentials.substring(0, colon), credentials.substring(colon + 1));
            } else {
                builder.bearerToken(credentials);
            }
        });
        return builder.build();
    }

    static AnalyticsStore openStore(TributaryConfig config) {
        return switch (config.store()) {
            case DUCKDB -> DuckDbStore.open(config.duckdbPath().toString(), config.duckdb());
            case CLICKHOUSE -> ClickHouseStore.open(ClickHouseConfig.of(config.clickhouseUrl().toString(), config.clickhouseDatabase())
                    .withCredentials(config.clickhouseUser(), config.clickhousePassword())
                    .withCluster(config.clickhouseCluster().orElse("")));
        };
    }

    /** The HTTP server, for tests that walk its routes (the security matrix). */
    HttpServer httpServer() {
        return http;
    }

    public int httpPort() {
        return http.port();
    }

    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    /** The store this node writes and reads, if its roles use one (for operations and tests). */
    public Optional<AnalyticsStore> store() {
        return store;
    }

    /**
     * Stops the processors role (the analytics topology and every sink; their offsets stay
     * committed) while the rest of the node keeps serving: writes pile up as consumer lag. For
     * operations drills and tests; {@link #startProcessors()} resumes from the committed offsets.
     */
    public void stopProcessors() {
        processors.orElseThrow(() -> new IllegalStateException("this node does not run the processors role")).stop();
    }

    /** Starts the processors role again after {@link #stopProcessors()}. */
    public void startProcessors() {
        processors.orElseThrow(() -> new IllegalStateException("this node does not run the processors role")).start();
    }

    /** The processors role, which can be stopped and started again while the node runs. */
    private static final class ProcessorsRole implements AutoCloseable {
        private final java.util.function.Supplier<StreamProcessors> factory;
        private StreamProcessors running;

        ProcessorsRole(java.util.function.Supplier<StreamProcessors> factory) {
            this.factory = factory;
        }

        synchronized void start() {
            if (running == null) {
                running = factory.get();
            }
        }

        synchronized void stop() {
            if (running != null) {
                running.close();
                running = null;
            }
        }

        synchronized KafkaStreams.State streamsState() {
            if (running == null) {
                throw new IllegalStateException("stream processors are stopped");
            }
            return running.streamsState();
        }

        @Override
        public void close() {
            stop();
        }
    }

    /** Blocks until {@link #close()} runs (e.g. from the shutdown hook on SIGTERM / Ctrl-C). */
    public void awaitShutdown() throws InterruptedException {
        closed.await();
    }

    @Override
    public void close() {
        synchronized (resources) {
            if (closed.getCount() == 0) {
                return;
            }
            LOG.info("tributary: stopping");
            closeAll(resources);
            closed.countDown();
        }
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }

    /** Closes {@code resources} from the top, logging (not throwing) what fails, so that the rest still closes. */
    static void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            AutoCloseable r = resources.pop();
            try {
                r.close();
            } catch (Exception e) {
                LOG.warn("error while stopping {}: {}", r.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
