package io.tributary.deploy;

import io.tributary.platform.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * One node of a {@link KafkaCluster}, as the main class of its own JVM so that killing the node
 * is a SIGKILL of a process, not a controlled shutdown inside the test JVM.
 *
 * <p>Arguments: {@code <data-dir> <node-id> <cluster-id> <id:broker-port,...> <id:controller-port,...>}.
 * Prints {@link #READY} once the node has started.
 */
final class KafkaClusterNode {
    static final String READY = "kafka-cluster-node: ready";

    private KafkaClusterNode() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 5) {
            throw new IllegalArgumentException("usage: KafkaClusterNode <data-dir> <node-id> <cluster-id> <id:broker-port,...> <id:controller-port,...>");
        }
        EmbeddedKafkaBroker.Quorum quorum = new EmbeddedKafkaBroker.Quorum(args[2], ports(args[3]), ports(args[4]));
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Path.of(args[0]), Integer.parseInt(args[1]), quorum);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-cluster-node-shutdown"));
        System.out.println(READY);
        System.out.flush();
        // runs until the process is killed (or SIGTERM runs the hook)
        new CountDownLatch(1).await();
    }

    static String ports(Map<Integer, Integer> ports) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(ports).forEach((id, port) -> out.append(out.isEmpty() ? "" : ",").append(id).append(':').append(port));
        return out.toString();
    }

    private static Map<Integer, Integer> ports(String spec) {
        Map<Integer, Integer> ports = new TreeMap<>();
        for (String entry : spec.split(",")) {
            String[] idAndPort = entry.split(":");
            ports.put(Integer.parseInt(idAndPort[0]), Integer.parseInt(idAndPort[1]));
        }
        return ports;
    }
}
