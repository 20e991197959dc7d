package io.tributary.platform.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker in this JVM (KRaft, combined broker+controller), the broker of the
 * embedded default: one node ({@link #start(Path, int)}), or one node of a cluster whose other
 * nodes run elsewhere on this machine ({@link #start(Path, int, Quorum)}). Its log lives under
 * {@code dataDir}, so a restart on the same directory keeps every topic and offset. Listens on
 * loopback only.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int SINGLE_NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final Path logDir;
    private final int port;
    private final int controllerPort;
    private final KafkaRaftServer server;

    private EmbeddedKafkaBroker(Path logDir, int port, int controllerPort, KafkaRaftServer server) {
        this.logDir = logDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.server = server;
    }

    /**
     * One node of a multi-node KRaft cluster (each node combined broker+controller, all of them
     * voters), for tests that run a cluster on one machine with a node per process. The quorum
     * fixes every node's ports, so a node restarted on its {@code dataDir} is the same member.
     * Internal topics (offsets, transactions) are replicated to every node and the broker default
     * {@code min.insync.replicas} is a majority of them: with three nodes, RF 3 and 2, so that one
     * node may be down while {@code acks=all} writes go on, and no acknowledged write lives on one
     * node only.
     *
     * @param clusterId    the id every node of the cluster is formatted with
     * @param brokerPorts  node id → its client (PLAINTEXT) port
     * @param controllerPorts node id → its controller port, the same ids
     */
    public record Quorum(String clusterId, Map<Integer, Integer> brokerPorts, Map<Integer, Integer> controllerPorts) {
        public Quorum {
            brokerPorts = Map.copyOf(brokerPorts);
            controllerPorts = Map.copyOf(controllerPorts);
            if (!brokerPorts.keySet().equals(controllerPorts.keySet())) {
                throw new IllegalArgumentException("every node needs a broker and a controller port: " + brokerPorts + " " + controllerPorts);
            }
        }

        /** {@code controller.quorum.voters}: {@code id@127.0.0.1:port,...}. */
        String voters() {
            return new TreeMap<>(controllerPorts).entrySet().stream()
                    .map(e -> e.getKey() + "@127.0.0.1:" + e.getValue()).collect(Collectors.joining(","));
        }

        public String bootstrapServers() {
            return new TreeMap<>(brokerPorts).values().stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
        }
    }

    /**
     * Formats {@code dataDir} on first use, then starts the broker on {@code port} (0 = any free
     * port). The controller port is kept in {@code dataDir} so that restarts reuse it.
     */
    public static EmbeddedKafkaBroker start(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir);
            int brokerPort = port == 0 ? freePort() : port;
            int controllerPort = controllerPort(dataDir);
            return start(dataDir, SINGLE_NODE_ID, new Quorum(Uuid.randomUuid().toString(),
                    Map.of(SINGLE_NODE_ID, brokerPort), Map.of(SINGLE_NODE_ID, controllerPort)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded Kafka broker in " + dataDir, e);
        }
    }

    /**
     * Formats {@code dataDir} on first use (with the quorum's cluster id), then starts node
     * {@code nodeId} of {@code quorum} on its ports. A single-node quorum is {@link #start(Path, int)}.
     */
    public static EmbeddedKafkaBroker start(Path dataDir, int nodeId, Quorum quorum) {
        try {
            Files.createDirectories(dataDir);
            Path logDir = dataDir.resolve("kafka-logs");
            int brokerPort = quorum.brokerPorts().get(nodeId);
            int controllerPort = quorum.controllerPorts().get(nodeId);
            String replicas = String.valueOf(quorum.brokerPorts().size());
            String majority = String.valueOf(quorum.brokerPorts().size() / 2 + 1);
            Properties props = new Properties();
            props.put("process.roles", "broker,controller");
            props.put("node.id", String.valueOf(nodeId));
            props.put("controller.quorum.voters", quorum.voters());
            props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
            props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
            props.put("controller.listener.names", CONTROLLER_LISTENER);
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
            props.put("inter.broker.listener.name", "PLAINTEXT");
            props.put("log.dirs", logDir.toString());
            props.put("min.insync.replicas", majority);
            props.put("default.replication.factor", replicas);
            props.put("offsets.topic.replication.factor", replicas);
            props.put("offsets.topic.num.partitions", "6");
            props.put("transaction.state.log.replication.factor", replicas);
            props.put("transaction.state.log.min.isr", majority);
            props.put("transaction.state.log.num.partitions", "6");
            props.put("share.coordinator.state.topic.replication.factor", replicas);
            props.put("share.coordinator.state.topic.min.isr", majority);
            props.put("group.initial.rebalance.delay.ms", "0");
            props.put("auto.create.topics.enable", "false");
            props.put("num.partitions", "1");
            // The dedupe buffer is allocated eagerly; 16 MiB keeps the idle heap near 45 MB.
            props.put("log.cleaner.dedupe.buffer.size", "16777216");
            props.put("log.segment.bytes", String.valueOf(128 * 1024 * 1024));
            props.put("log.retention.hours", "-1");
            format(logDir, nodeId, quorum.clusterId());
            long started = System.nanoTime();
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            LOG.info("embedded Kafka broker {} listening on 127.0.0.1:{} (log dir {}, started in {} ms)",
                    nodeId, brokerPort, logDir, (System.nanoTime() - started) / 1_000_000);
            return new EmbeddedKafkaBroker(logDir, brokerPort, controllerPort, server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded Kafka broker in " + dataDir, e);
        }
    }

    private static void format(Path logDir, int nodeId, String clusterId) throws IOException {
        Path metaProperties = logDir.resolve("meta.properties");
        if (Files.exists(metaProperties)) {
            return;
        }
        Files.createDirectories(logDir);
        Formatter formatter = new Formatter()
                .setNodeId(nodeId)
                .setClusterId(clusterId)
                .setDirectories(List.of(logDir.toString()))
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setMetadataLogDirectory(logDir.toString())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setIgnoreFormatted(true)
                .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            formatter.run();
        } catch (Exception e) {
            throw new IOException("cannot format Kafka storage in " + logDir + ": " + e.getMessage(), e);
        }
    }

    /** The controller port is an internal detail, but it must be stable across restarts of one data dir. */
    private static int controllerPort(Path dataDir) throws IOException {
        Path file = dataDir.resolve("kafka-controller.port");
        if (Files.exists(file)) {
            int port = Integer.parseInt(Files.readString(file).trim());
            if (isFree(port)) {
                return port;
            }
        }
        int port = freePort();
        Files.writeString(file, Integer.toString(port));
        return port;
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path logDir() {
        return logDir;
    }

    @Override
    public void close() {
        long started = System.nanoTime();
        server.shutdown();
        server.awaitShutdown();
        LOG.info("embedded Kafka broker stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker[" + bootstrapServers() + ", controller " + controllerPort + "]";
    }
}
