package io.tributary.deploy;

import io.tributary.platform.kafka.EmbeddedKafkaBroker;
import io.tributary.platform.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;

/**
 * A KRaft cluster of {@code n} nodes on this machine, each node combined broker+controller and a
 * voter, each in its own JVM ({@link KafkaClusterNode}) on fixed loopback ports and its own log
 * dir, so that {@link #kill(int)} is a SIGKILL of one broker and {@link #start(int)} brings the same
 * node back. Topics are replicated to all nodes with {@code min.insync.replicas} a majority.
 */
final class KafkaCluster implements SplitRolesCluster.Brokers {
    private static final java.time.Duration START_TIMEOUT = java.time.Duration.ofMinutes(2);

    private final Path dir;
    private final EmbeddedKafkaBroker.Quorum quorum;
    private final Map<Integer, LauncherProcess> nodes = new TreeMap<>();

    private KafkaCluster(Path dir, EmbeddedKafkaBroker.Quorum quorum) {
        this.dir = dir;
        this.quorum = quorum;
    }

    /** Starts {@code size} nodes (ids 1..size) under {@code dir} and waits until all of them are registered brokers. */
    static KafkaCluster start(Path dir, int size) throws Exception {
        Map<Integer, Integer> brokerPorts = new TreeMap<>();
        Map<Integer, Integer> controllerPorts = new TreeMap<>();
        for (int id = 1; id <= size; id++) {
            brokerPorts.put(id, LauncherProcess.freePort());
            controllerPorts.put(id, LauncherProcess.freePort());
        }
        KafkaCluster cluster = new KafkaCluster(dir, new EmbeddedKafkaBroker.Quorum(Uuid.randomUuid().toString(), brokerPorts, controllerPorts));
        try {
            // all at once: a voter alone waits for a majority of the quorum before it starts
            for (int id : brokerPorts.keySet()) {
                cluster.launch(id);
            }
            cluster.awaitRegistered(brokerPorts.keySet());
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void launch(int id) throws IOException {
        // the test JVM's class path: under failsafe the real entries (the booter jar's are set as java.class.path in the fork)
        nodes.put(id, LauncherProcess.java("kafka-node-" + id, List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"),
                KafkaClusterNode.class.getName(), dir.resolve("node-" + id).toString(), Integer.toString(id), quorum.clusterId(),
                KafkaClusterNode.ports(quorum.brokerPorts()), KafkaClusterNode.ports(quorum.controllerPorts())), Map.of()));
    }

    /** SIGKILL of node {@code id}: no controlled shutdown, no leadership handed over, its log not flushed. */
    void kill(int id) throws InterruptedException {
        nodes.remove(id).kill();
    }

    /** Starts node {@code id} again on its log dir and ports and waits until it is a registered broker again. */
    void start(int id) throws Exception {
        if (nodes.containsKey(id)) {
            throw new IllegalStateException("node " + id + " is running");
        }
        launch(id);
        awaitRegistered(Set.of(id));
    }

    private void awaitRegistered(Collection<Integer> ids) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                for (int id : ids) {
                    if (!nodes.get(id).isAlive()) {
                        throw new IllegalStateException("Kafka node " + id + " exited:\n" + nodes.get(id).outputTail());
                    }
                }
                boolean started = ids.stream().allMatch(id -> nodes.get(id).output().contains(KafkaClusterNode.READY));
                if (started && registered(admin).containsAll(ids)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka nodes " + ids + " not registered within " + START_TIMEOUT + ":\n" + logs());
                }
                TimeUnit.MILLISECONDS.sleep(300);
            }
        }
    }

    private static Set<Integer> registered(Admin admin) {
        try {
            return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).stream().map(Node::id).collect(Collectors.toSet());
        } catch (Exception e) {
            return Set.of(); // no quorum yet, or the node asked is still starting
        }
    }

    /** The node that leads the controller quorum now. */
    int activeController() throws Exception {
        try (Admin admin = admin()) {
            return admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
        }
    }

    /** Partitions of every topic (internal ones included) with fewer in-sync replicas than nodes, as {@code topic-partition isr [ids]}. */
    List<String> underReplicated() throws Exception {
        List<String> under = new ArrayList<>();
        try (Admin admin = admin()) {
            Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(30, TimeUnit.SECONDS);
            for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
                topic.partitions().stream().filter(p -> p.isr().size() < quorum.brokerPorts().size())
                        .forEach(p -> under.add(topic.name() + "-" + p.partition() + " isr " + p.isr().stream().map(Node::id).toList()));
            }
        }
        return under;
    }

    Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return Admin.create(props);
    }

    @Override
    public String bootstrapServers() {
        return quorum.bootstrapServers();
    }

    @Override
    public short replicationFactor() {
        return (short) quorum.brokerPorts().size();
    }

    @Override
    public List<ProcessHandle> processes() {
        return nodes.values().stream().map(LauncherProcess::handle).toList();
    }

    @Override
    public String logs() {
        StringBuilder out = new StringBuilder();
        nodes.forEach((id, node) -> out.append("--- kafka node ").append(id).append('\n').append(node.outputTail()).append('\n'));
        return out.toString();
    }

    @Override
    public void close() {
        nodes.values().forEach(LauncherProcess::close);
        nodes.clear();
        TestFiles.deleteRecursively(dir);
    }
}
