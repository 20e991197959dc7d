package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.platform.auth.RequestAuth;
import io.tributary.platform.auth.TokenStore;
import io.tributary.platform.config.Setting;
import io.tributary.platform.http.HttpServer;
import io.tributary.platform.kafka.EmbeddedKafkaBroker;
import io.tributary.platform.kafka.KafkaClients;
import io.tributary.platform.metrics.Metrics;
import io.tributary.platform.registry.EmbeddedSchemaRegistry;
import io.tributary.platform.registry.SchemaRegistryRoutes;
import io.tributary.platform.testing.ClickHouseServer;
import io.tributary.platform.testing.TestFiles;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Production layout on one machine, for fault and scale tests: gateway, processors and query roles
 * each in their own JVMs ({@code java -jar tributary.jar gateway|processors|query}, as an operator
 * runs them; {@link Layout} says how many gateways and processors), against Kafka ({@link Brokers}:
 * one broker in the test JVM, or a {@link KafkaCluster} of broker JVMs), a Confluent-API schema
 * registry in the test JVM and a clickhouse-server process. {@link #killProcessor(int)} is a SIGKILL
 * of one processors JVM.
 */
final class SplitRolesCluster<B extends SplitRolesCluster.Brokers> implements AutoCloseable {

    /** The Kafka the roles run against; the cluster closes it. */
    interface Brokers extends AutoCloseable {
        String bootstrapServers();

        /** Of every topic the roles and the registry create. */
        short replicationFactor();

        /** The brokers' own processes; none when they run in the test JVM. */
        default List<ProcessHandle> processes() {
            return List.of();
        }

        /** The brokers' output, if they have any of their own, for a failure message. */
        default String logs() {
            return "";
        }

        @Override
        void close();
    }

    /** Starts the cluster's brokers under {@code dir}. */
    interface BrokersFactory<B extends Brokers> {
        B start(Path dir) throws Exception;
    }

    /**
     * How many role JVMs: {@code gateways} gateways, {@code processors} processors JVMs (started at
     * once when {@code processorsRunning}, else by {@link #startProcessors(int...)}), one query JVM;
     * the event topics get {@code partitions} partitions.
     */
    record Layout(int gateways, int processors, boolean processorsRunning, int partitions) {
    }

    /**
     * One broker in the test JVM. It keeps its port and log dir, so {@link #stop()} and
     * {@link #start()} are an outage and a restart of the same broker.
     */
    static final class InJvmBroker implements Brokers {
        private final Path dir;
        private final int port;
        private EmbeddedKafkaBroker broker;

        InJvmBroker(Path dir) {
            this.dir = dir;
            this.broker = EmbeddedKafkaBroker.start(dir, 0);
            this.port = broker.port();
        }

        /** Stops the broker (controlled shutdown); its log dir and port are kept for {@link #start()}. */
        void stop() {
            broker.close();
            broker = null;
        }

        /** Starts the broker again on the same log dir and port: the clients' bootstrap address stays valid. */
        void start() {
            broker = EmbeddedKafkaBroker.start(dir, port);
        }

        @Override
        public String bootstrapServers() {
            return "127.0.0.1:" + port;
        }

        @Override
        public short replicationFactor() {
            return 1;
        }

        @Override
        public void close() {
            if (broker != null) {
                broker.close();
            }
        }
    }

    private final Path dir;
    private final ClickHouseServer clickhouse;
    private final String database;
    private final B brokers;
    private final EmbeddedSchemaRegistry registry;
    private final TokenStore tokens;
    private final HttpServer registryServer;
    private final Map<String, String> roleEnv;
    private final List<LauncherProcess> gateways = new ArrayList<>();
    /** Slot per processors JVM; null while that one is stopped or killed. */
    private final LauncherProcess[] processors;
    private LauncherProcess query;

    private SplitRolesCluster(Path dir, ClickHouseServer clickhouse, String database, B brokers, EmbeddedSchemaRegistry registry,
                              TokenStore tokens, HttpServer registryServer, Layout layout) {
        this.dir = dir;
        this.clickhouse = clickhouse;
        this.database = database;
        this.brokers = brokers;
        this.registry = registry;
        this.tokens = tokens;
        this.registryServer = registryServer;
        this.processors = new LauncherProcess[layout.processors()];
        Map<Setting, String> settings = new EnumMap<>(Setting.class);
        settings.put(Setting.KAFKA_BOOTSTRAP, brokers.bootstrapServers());
        settings.put(Setting.SCHEMA_REGISTRY_URL, "http://127.0.0.1:" + registryServer.port() + "/apis/ccompat");
        settings.put(Setting.SCHEMA_REGISTRY_AUTH, TestNodes.ADMIN_TOKEN);
        settings.putAll(TestNodes.clickHouseStore(clickhouse, database));
        settings.put(Setting.ADMIN_TOKEN, TestNodes.ADMIN_TOKEN);
        settings.put(Setting.PARTITIONS, Integer.toString(layout.partitions()));
        settings.put(Setting.REPLICATION_FACTOR, Short.toString(brokers.replicationFactor()));
        Map<String, String> env = new HashMap<>();
        settings.forEach((setting, value) -> env.put(setting.envVar(), value));
        this.roleEnv = Map.copyOf(env);
    }

    /** The fault tests' layout: one broker in this JVM, one gateway, one processors JVM, one query JVM, 3 partitions. */
    static SplitRolesCluster<InJvmBroker> start(ClickHouseServer clickhouse, String databasePrefix) throws Exception {
        return start(clickhouse, databasePrefix, dir -> new InJvmBroker(dir.resolve("broker")), new Layout(1, 1, true, 3));
    }

    /**
     * Starts the brokers, the registry and the role JVMs: the processors first when they run from
     * the start (their topics and migrations then exist), then the gateways and the query role
     * together (every role creates missing topics; the query role also runs the migrations).
     */
    static <B extends Brokers> SplitRolesCluster<B> start(ClickHouseServer clickhouse, String databasePrefix, BrokersFactory<B> brokersFactory,
                                                          Layout layout) throws Exception {
        Path dir = Files.createTempDirectory("tributary-split-");
        B brokers = brokersFactory.start(dir);
        SplitRolesCluster<B> cluster;
        try {
            KafkaClients kafka = new KafkaClients(brokers.bootstrapServers());
            EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(kafka, brokers.replicationFactor());
            TokenStore tokens = TokenStore.start(kafka, brokers.replicationFactor(), Duration.ofSeconds(30), Clock.systemUTC());
            tokens.ensureAdminToken(Optional.of(TestNodes.ADMIN_TOKEN));
            PrometheusMeterRegistry metrics = Metrics.prometheusRegistry();
            HttpServer registryServer = HttpServer.start("127.0.0.1", 0, 1 << 20, metrics, List.of(),
                    List.of(new SchemaRegistryRoutes("/apis/ccompat", registry, new RequestAuth(tokens))));
            cluster = new SplitRolesCluster<>(dir, clickhouse, clickhouse.newDatabase(databasePrefix), brokers, registry, tokens, registryServer, layout);
        } catch (Exception | Error e) {
            brokers.close();
            TestFiles.deleteRecursively(dir);
            throw e;
        }
        try {
            if (layout.processorsRunning()) {
                cluster.startProcessors(IntStream.range(0, layout.processors()).toArray());
            }
            List<RoleStart> others = new ArrayList<>(IntStream.range(0, layout.gateways()).mapToObj(i -> new RoleStart("gateway", "gateway-" + i)).toList());
            others.add(new RoleStart("query", "query"));
            List<LauncherProcess> started = cluster.roles(others);
            cluster.gateways.addAll(started.subList(0, layout.gateways()));
            cluster.query = started.get(layout.gateways());
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** A role JVM to start: {@code tributary <command>} on {@code <cluster dir>/<dataDir>}. */
    private record RoleStart(String command, String dataDir) {
    }

    /** Starts {@code roles} in parallel (a JVM start is mostly waiting on one core) and waits until each is ready. */
    private List<LauncherProcess> roles(List<RoleStart> roles) throws Exception {
        if (roles.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(roles.size());
        try {
            List<Future<LauncherProcess>> starting = new ArrayList<>();
            for (RoleStart role : roles) {
                starting.add(pool.submit(() -> LauncherProcess.start(role.command(), dir.resolve(role.dataDir()), roleEnv, List.of())));
            }
            List<LauncherProcess> started = new ArrayList<>();
            Exception failure = null;
            for (Future<LauncherProcess> role : starting) {
                try {
                    started.add(role.get());
                } catch (ExecutionException e) {
                    failure = e.getCause() instanceof Exception cause ? cause : e;
                }
            }
            if (failure != null) {
                started.forEach(LauncherProcess::close);
                throw failure;
            }
            return started;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A token with scope admin in {@code workspace}, created through the first gateway and used only
     * once every gateway accepts it: each learns of it from the tokens topic moments later.
     */
    String workspaceToken(String workspace) throws InterruptedException {
        HttpResponse<String> created = writes(TestNodes.ADMIN_TOKEN).request("POST", "/v0/tokens",
                "{\"name\":\"" + workspace + "\",\"scopes\":[\"admin\"],\"workspace_id\":\"" + workspace + "\"}", "application/json");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String token = Http.json(created).get("token").asText();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Http gateway : gateways(token)) {
            // an empty batch: 401 until the gateway has read the token
            while (gateway.post("/v0/events?name=customer_events", "").statusCode() == 401) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("a gateway refuses the new token of " + workspace + " after 30 s");
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        return token;
    }

    /** The first gateway's client with {@code token}. */
    Http writes(String token) {
        return new Http(gateways.get(0).httpPort, token);
    }

    /** A client with {@code token} for each gateway. */
    List<Http> gateways(String token) {
        return gateways.stream().map(gateway -> new Http(gateway.httpPort, token)).toList();
    }

    /** The query role's client with {@code token}. */
    Http reads(String token) {
        return new Http(query.httpPort, token);
    }

    B brokers() {
        return brokers;
    }

    String bootstrapServers() {
        return brokers.bootstrapServers();
    }

    Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(props);
    }

    ClickHouseServer clickhouse() {
        return clickhouse;
    }

    String database() {
        return database;
    }

    /**
     * The CPU time each role's processes have used so far: {@code gateway}, {@code processors} (the
     * running ones), {@code query}, and {@code kafka} and {@code clickhouse} when they are processes
     * of their own here.
     */
    RoleCpu cpu() {
        Map<String, List<ProcessHandle>> roles = new LinkedHashMap<>();
        roles.put("gateway", gateways.stream().map(LauncherProcess::handle).toList());
        roles.put("processors", Arrays.stream(processors).filter(p -> p != null).map(LauncherProcess::handle).toList());
        roles.put("query", List.of(query.handle()));
        roles.put("kafka", brokers.processes());
        roles.put("clickhouse", clickhouse.process().stream().toList());
        return RoleCpu.of(roles);
    }

    /** SIGKILL of processors JVM {@code index}: Kafka Streams' open transactions and the sinks' unflushed batches die with it. */
    void killProcessor(int index) throws InterruptedException {
        running(index).kill();
        processors[index] = null;
    }

    /** SIGKILL of every running processors JVM. */
    void killProcessors() throws InterruptedException {
        for (int i = 0; i < processors.length; i++) {
            if (processors[i] != null) {
                killProcessor(i);
            }
        }
    }

    /** SIGTERM of processors JVM {@code index}: it leaves its groups and commits, as on a deploy. */
    void stopProcessor(int index) throws InterruptedException {
        running(index).stop();
        processors[index] = null;
    }

    /** Starts the given processors JVMs (on their data dirs, whose Kafka Streams state they may reuse) and waits until each is ready. */
    void startProcessors(int... indexes) throws Exception {
        for (int index : indexes) {
            if (processors[index] != null) {
                throw new IllegalStateException("processors " + index + " is running");
            }
        }
        List<LauncherProcess> started = roles(IntStream.of(indexes).mapToObj(i -> new RoleStart("processors", "processors-" + i)).toList());
        for (int i = 0; i < indexes.length; i++) {
            processors[indexes[i]] = started.get(i);
        }
    }

    /** Starts every stopped or killed processors JVM. */
    void startProcessors() throws Exception {
        startProcessors(IntStream.range(0, processors.length).filter(i -> processors[i] == null).toArray());
    }

    /** Fails, with the roles' output, when a processors JVM the test did not kill or stop has died. */
    void assertProcessorsAlive() {
        for (int i = 0; i < processors.length; i++) {
            if (processors[i] != null && !processors[i].isAlive()) {
                throw new AssertionError("processors JVM " + i + " died:\n" + logs());
            }
        }
    }

    private LauncherProcess running(int index) {
        if (processors[index] == null) {
            throw new IllegalStateException("processors " + index + " is not running");
        }
        return processors[index];
    }

    /** The roles' and brokers' output, for a failure message. */
    String logs() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < gateways.size(); i++) {
            out.append("--- gateway ").append(i).append('\n').append(gateways.get(i).outputTail()).append('\n');
        }
        for (int i = 0; i < processors.length; i++) {
            out.append("--- processors ").append(i).append('\n').append(processors[i] == null ? "(not running)" : processors[i].outputTail()).append('\n');
        }
        out.append("--- query\n").append(query == null ? "" : query.outputTail()).append('\n');
        return out.append(brokers.logs()).toString();
    }

    @Override
    public void close() {
        List<LauncherProcess> roles = new ArrayList<>(gateways);
        roles.add(query);
        roles.addAll(Arrays.asList(processors));
        for (LauncherProcess role : roles) {
            if (role != null) {
                role.close();
            }
        }
        registryServer.close();
        tokens.close();
        registry.close();
        brokers.close();
        TestFiles.deleteRecursively(dir);
    }
}
