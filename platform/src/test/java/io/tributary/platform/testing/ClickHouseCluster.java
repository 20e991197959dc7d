package io.tributary.platform.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import io.tributary.platform.store.clickhouse.ClickHouseConfig;
import io.tributary.platform.store.clickhouse.ClickHouseStore;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Assumptions;

/**
 * A ClickHouse cluster for tests, all on loopback: an in-JVM ZooKeeper (Curator's TestingServer) and one
 * managed {@link ClickHouseServer} per shard, one replica each. Every server's config names the cluster
 * {@link #NAME} in {@code <remote_servers>} (all shards, {@code internal_replication} on, as replicated
 * tables need), its own {@code <macros>} ({@code shard} {@code 01}, {@code 02}, ...; {@code replica}
 * {@code replica_1}, ...), the ZooKeeper and {@code <distributed_ddl>}, which is what
 * {@code ON CLUSTER} statements and ReplicatedMergeTree need (README: ClickHouse cluster).
 *
 * <p>The ZooKeeper is 3.8 (pinned in the parent POM): ClickHouse's ZooKeeper client, 18.16's and
 * current ones' up to 23.x, refuses 3.9's handshake answer. ClickHouse 18.16 has no Keeper of its own.
 */
public final class ClickHouseCluster implements AutoCloseable {
    public static final String NAME = "tributary_test";

    private final TestingServer zooKeeper;
    private final List<ClickHouseServer> servers;

    private ClickHouseCluster(TestingServer zooKeeper, List<ClickHouseServer> servers) {
        this.zooKeeper = zooKeeper;
        this.servers = List.copyOf(servers);
    }

    /**
     * Starts ZooKeeper and {@code shards} servers; empty, with {@code whyNot} set, when there is no
     * clickhouse-server binary (an external {@code CLICKHOUSE_URL} server cannot be made a cluster here).
     */
    public static Optional<ClickHouseCluster> start(int shards, StringBuilder whyNot) {
        Optional<List<String>> command = ClickHouseServer.serverCommand();
        if (command.isEmpty()) {
            whyNot.append("a ClickHouse cluster test starts its own servers and needs the clickhouse-server binary: ").append(ClickHouseServer.NOT_FOUND);
            return Optional.empty();
        }
        // one server finding its port taken restarts the whole cluster: the others' configs name its ports
        return Optional.of(ClickHouseServer.retryOnNewPorts("ClickHouse cluster", () -> startOnce(command.get(), shards)));
    }

    private static ClickHouseCluster startOnce(List<String> command, int shards) {
        TestingServer zooKeeper = null;
        List<ClickHouseServer> started = new ArrayList<>();
        try {
            zooKeeper = new TestingServer(true);
            List<Integer> ports = distinctFreePorts(3 * shards);
            List<Integer> httpPorts = ports.subList(0, shards);
            List<Integer> tcpPorts = ports.subList(shards, 2 * shards);
            List<Integer> interserverPorts = ports.subList(2 * shards, 3 * shards);
            String remoteServers = "<remote_servers><" + NAME + ">"
                    + String.join("", tcpPorts.stream().map(port -> "<shard><internal_replication>true</internal_replication>"
                            + "<replica><host>127.0.0.1</host><port>" + port + "</port></replica></shard>").toList())
                    + "</" + NAME + "></remote_servers>";
            for (int i = 0; i < shards; i++) {
                String member = remoteServers
                        + "<zookeeper><node><host>127.0.0.1</host><port>" + zooKeeper.getPort() + "</port></node></zookeeper>"
                        + "<distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>"
                        + "<macros><shard>" + String.format("%02d", i + 1) + "</shard><replica>replica_" + (i + 1) + "</replica></macros>"
                        + "<interserver_http_host>127.0.0.1</interserver_http_host>"
                        + "<interserver_http_port>" + interserverPorts.get(i) + "</interserver_http_port>";
                started.add(ClickHouseServer.startManaged(command, httpPorts.get(i), tcpPorts.get(i), member));
            }
            return new ClickHouseCluster(zooKeeper, started);
        } catch (Exception e) {
            new ClickHouseCluster(zooKeeper, started).close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot start ZooKeeper or pick ports for a ClickHouse cluster", io);
            }
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        }
    }

    private static List<Integer> distinctFreePorts(int count) throws IOException {
        Set<Integer> ports = new LinkedHashSet<>();
        while (ports.size() < count) {
            ports.add(ClickHouseServer.freePort());
        }
        return List.copyOf(ports);
    }

    /**
     * {@link #start}, or aborts the calling test (reported as skipped, with the reason) when there is no
     * clickhouse-server; call it from the first {@code @BeforeEach}, not {@code @BeforeAll} (see ClickHouseExtension).
     */
    public static ClickHouseCluster startOrSkip(int shards) {
        StringBuilder whyNot = new StringBuilder();
        Optional<ClickHouseCluster> cluster = start(shards, whyNot);
        Assumptions.assumeTrue(cluster.isPresent(), whyNot::toString);
        return cluster.orElseThrow();
    }

    public String name() {
        return NAME;
    }

    /** A store in cluster mode on {@code database}, talking to server {@code server} (0 = shard 1). */
    public ClickHouseStore store(int server, String database) {
        ClickHouseServer s = servers.get(server);
        return ClickHouseStore.open(ClickHouseConfig.of(s.url(), database).withCredentials(s.user(), s.password()).withCluster(NAME));
    }

    /** The servers, shard 1 first. */
    public List<ClickHouseServer> servers() {
        return servers;
    }

    @Override
    public void close() {
        servers.forEach(ClickHouseServer::close);
        if (zooKeeper != null) {
            try {
                zooKeeper.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot stop the test ZooKeeper", e);
            }
        }
    }
}
