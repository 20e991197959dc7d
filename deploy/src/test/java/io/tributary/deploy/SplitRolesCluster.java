package io.tributary.deploy;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Production layout on one machine, for fault tests: the gateway, processors and query roles each
 * in its own JVM ({@code java -jar tributary.jar gateway|processors|query}, as an operator runs
 * them), against a Kafka broker and a Confluent-API schema registry in the test JVM and a
 * clickhouse-server process. The broker keeps its port and log dir, so {@link #stopKafka()} and
 * {@link #startKafka()} are an outage and a restart of the same broker; {@link #killProcessors()}
 * is a SIGKILL of the processors JVM.
 */
final class SplitRolesCluster implements AutoCloseable {
    private final Path dir;
    private final ClickHouseServer clickhouse;
    private final String database;
    private final int kafkaPort;
    private EmbeddedKafkaBroker broker;
    private final EmbeddedSchemaRegistry registry;
    private final TokenStore tokens;
    private final HttpServer registryServer;
    private final Map<String, String> roleEnv;
    private LauncherProcess gateway;
    private LauncherProcess processors;
    private LauncherProcess query;

    private SplitRolesCluster(Path dir, ClickHouseServer clickhouse, String database, EmbeddedKafkaBroker broker,
                              EmbeddedSchemaRegistry registry, TokenStore tokens, HttpServer registryServer) {
        this.dir = dir;
        this.clickhouse = clickhouse;
        this.database = database;
        this.broker = broker;
        this.kafkaPort = broker.port();
        this.registry = registry;
        this.tokens = tokens;
        this.registryServer = registryServer;
        Map<Setting, String> settings = new EnumMap<>(Setting.class);
        settings.put(Setting.KAFKA_BOOTSTRAP, broker.bootstrapServers());
        settings.put(Setting.SCHEMA_REGISTRY_URL, "http://127.0.0.1:" + registryServer.port() + "/apis/ccompat");
        settings.put(Setting.SCHEMA_REGISTRY_AUTH, TestNodes.ADMIN_TOKEN);
        settings.putAll(TestNodes.clickHouseStore(clickhouse, database));
        settings.put(Setting.ADMIN_TOKEN, TestNodes.ADMIN_TOKEN);
        settings.put(Setting.PARTITIONS, "3");
        Map<String, String> env = new HashMap<>();
        settings.forEach((setting, value) -> env.put(setting.envVar(), value));
        this.roleEnv = Map.copyOf(env);
    }

    /** Starts the broker, registry and the three role JVMs (processors first, so that its topics and migrations exist). */
    static SplitRolesCluster start(ClickHouseServer clickhouse, String databasePrefix) throws Exception {
        Path dir = Files.createTempDirectory("tributary-split-");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0);
        KafkaClients kafka = new KafkaClients(broker.bootstrapServers());
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(kafka, (short) 1);
        TokenStore tokens = TokenStore.start(kafka, (short) 1, Duration.ofSeconds(30), Clock.systemUTC());
        tokens.ensureAdminToken(Optional.of(TestNodes.ADMIN_TOKEN));
        PrometheusMeterRegistry metrics = Metrics.prometheusRegistry();
        HttpServer registryServer = HttpServer.start("127.0.0.1", 0, 1 << 20, metrics, List.of(),
                List.of(new SchemaRegistryRoutes("/apis/ccompat", registry, new RequestAuth(tokens))));
        SplitRolesCluster cluster = new SplitRolesCluster(dir, clickhouse, clickhouse.newDatabase(databasePrefix), broker, registry, tokens, registryServer);
        try {
            cluster.processors = cluster.role("processors");
            cluster.gateway = cluster.role("gateway");
            cluster.query = cluster.role("query");
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    private LauncherProcess role(String command) throws Exception {
        return LauncherProcess.start(command, dir.resolve(command), roleEnv, List.of());
    }

    /** The gateway's client with {@code token}. */
    Http writes(String token) {
        return new Http(gateway.httpPort, token);
    }

    /** The query role's client with {@code token}. */
    Http reads(String token) {
        return new Http(query.httpPort, token);
    }

    String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
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

    /** SIGKILL of the processors JVM: Kafka Streams' open transactions and the sinks' unflushed batches die with it. */
    void killProcessors() throws InterruptedException {
        processors.kill();
    }

    void startProcessors() throws Exception {
        processors = role("processors");
    }

    boolean processorsAlive() {
        return processors.isAlive();
    }

    /** Stops the broker (controlled shutdown); its log dir and port are kept for {@link #startKafka()}. */
    void stopKafka() {
        broker.close();
        broker = null;
    }

    /** Starts the broker again on the same log dir and port: the clients' bootstrap address stays valid. */
    void startKafka() {
        broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), kafkaPort);
    }

    /** The three roles' output, for a failure message. */
    String logs() {
        return "--- gateway\n" + tail(gateway) + "\n--- processors\n" + tail(processors) + "\n--- query\n" + tail(query);
    }

    private static String tail(LauncherProcess process) {
        String all = process == null ? "" : process.output();
        return all.length() > 6000 ? all.substring(all.length() - 6000) : all;
    }

    @Override
    public void close() {
        for (LauncherProcess role : new LauncherProcess[] {gateway, query, processors}) {
            if (role != null) {
                role.close();
            }
        }
        registryServer.close();
        tokens.close();
        registry.close();
        if (broker != null) {
            broker.close();
        }
        TestFiles.deleteRecursively(dir);
    }
}
