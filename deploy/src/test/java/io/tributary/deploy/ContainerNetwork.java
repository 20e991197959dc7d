package io.tributary.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What Docker gives a compose project's containers, without Docker: one network namespace per
 * host name, each with its own address on a bridge, its own loopback and ports, and an
 * {@code /etc/hosts} naming every other one ({@code ip netns exec} mounts {@code /etc/netns/<ns>/hosts}
 * over {@code /etc/hosts}), and its own host name. The test JVM stays in the root namespace and reaches each by address, as
 * the Docker host reaches its containers. Needs root, iproute2 and util-linux's unshare.
 */
final class ContainerNetwork implements AutoCloseable {
    private static final Path NETNS_ETC = Path.of("/etc/netns");

    private final String prefix;
    private final Map<String, String> addresses;
    private final Map<String, String> namespaces;

    private ContainerNetwork(String prefix, Map<String, String> addresses, Map<String, String> namespaces) {
        this.prefix = prefix;
        this.addresses = addresses;
        this.namespaces = namespaces;
    }

    /** Why namespaces cannot be made here, if they cannot. */
    static Optional<String> unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("network namespaces need root (ip netns add); running as " + System.getProperty("user.name"));
        }
        if (ipBinary().isEmpty()) {
            return Optional.of("iproute2's ip not found (apt-get install iproute2)");
        }
        return Optional.empty();
    }

    /** A bridge and one namespace per host name; the hosts must be at most 250. */
    static ContainerNetwork create(List<String> hosts) throws IOException, InterruptedException {
        String prefix = "trb" + ProcessHandle.current().pid() % 100_000;
        String subnet = "10." + ThreadLocalRandom.current().nextInt(200, 250) + "." + ThreadLocalRandom.current().nextInt(1, 250) + ".";
        Map<String, String> addresses = new LinkedHashMap<>();
        Map<String, String> namespaces = new LinkedHashMap<>();
        ContainerNetwork network = new ContainerNetwork(prefix, addresses, namespaces);
        try {
            ip("link", "add", prefix, "type", "bridge");
            ip("addr", "add", subnet + "1/24", "dev", prefix);
            ip("link", "set", prefix, "up");
            for (int i = 0; i < hosts.size(); i++) {
                addresses.put(hosts.get(i), subnet + (i + 2));
            }
            StringBuilder hostsFile = new StringBuilder("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
            addresses.forEach((host, address) -> hostsFile.append(address).append('\t').append(host).append('\n'));
            int index = 0;
            for (String host : hosts) {
                String ns = prefix + "-" + host;
                String veth = prefix + "v" + index++;
                namespaces.put(host, ns);
                ip("netns", "add", ns);
                ip("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
                ip("link", "set", veth, "master", prefix, "up");
                ip("-n", ns, "addr", "add", addresses.get(host) + "/24", "dev", "eth0");
                ip("-n", ns, "link", "set", "eth0", "up");
                ip("-n", ns, "link", "set", "lo", "up");
                Path etc = NETNS_ETC.resolve(ns);
                Files.createDirectories(etc);
                Files.writeString(etc.resolve("hosts"), hostsFile, StandardCharsets.UTF_8);
                Files.writeString(etc.resolve("hostname"), host + "\n", StandardCharsets.UTF_8);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            network.close();
            throw e;
        }
        return network;
    }

    String address(String host) {
        return require(addresses, host);
    }

    /**
     * {@code command} run inside {@code host}'s network namespace (with its /etc/hosts) and in a UTS
     * namespace named {@code host}, as a container's hostname is its own: Kafka, for one, resolves
     * the local host name at start.
     */
    List<String> inside(String host, List<String> command) {
        List<String> line = new ArrayList<>(List.of(ipBinary().orElseThrow(), "netns", "exec", require(namespaces, host),
                "unshare", "--uts", "/bin/sh", "-c", "hostname \"$0\" && exec \"$@\"", host));
        line.addAll(command);
        return line;
    }

    @Override
    public void close() {
        for (String ns : namespaces.values()) {
            quietly("netns", "del", ns); // removes its end of the veth pair, and so the other end
            deleteEtc(NETNS_ETC.resolve(ns));
        }
        quietly("link", "del", prefix);
    }

    private static void deleteEtc(Path dir) {
        try {
            for (String file : List.of("hosts", "hostname")) {
                Files.deleteIfExists(dir.resolve(file));
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // left behind under /etc/netns: harmless, and named after this run's pid
        }
    }

    private static String require(Map<String, String> map, String host) {
        String value = map.get(host);
        if (value == null) {
            throw new IllegalArgumentException("no such host on this network: " + host + " (hosts: " + map.keySet() + ")");
        }
        return value;
    }

    private static Optional<String> ipBinary() {
        return List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip").stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst();
    }

    /** Runs {@code ip <args>}; fails with its output unless it exits 0. */
    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(ipBinary().orElseThrow()));
        line.addAll(List.of(args));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("ip " + String.join(" ", args) + " failed: " + output.trim());
        }
    }

    private static void quietly(String... ipArgs) {
        try {
            ip(ipArgs);
        } catch (IOException e) {
            // already gone, or never made: close() runs after a partial create too
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
