package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.deploy.ComposeProject.Service;
import io.tributary.deploy.ComposeProject.Volume;
import io.tributary.platform.testing.ClickHouseServer;
import io.tributary.platform.testing.TestFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * deploy/compose/docker-compose.yml brought up without Docker: every service a process (or two) in
 * a network namespace of its own ({@link ContainerNetwork}), from the same settings compose would
 * give its container — the interpolated environment, command, volumes, memory limit, health check
 * and start order of the file, and for the tributary image what deploy/Dockerfile puts in it.
 *
 * <p>Images are not run; each is stood in for by the same software on this machine, configured as
 * the image's entrypoint configures it from the service's environment:
 * <ul>
 *   <li>{@code apache/kafka}: Kafka from the test class path (the clients' version, which the
 *       image tag must equal), its server.properties made from {@code KAFKA_*} by the image's rule,
 *       formatted with {@code CLUSTER_ID};</li>
 *   <li>{@code confluentinc/cp-schema-registry}: Apicurio Registry (the build's, DESIGN.md §3) with
 *       its Confluent API served at the listener's root by an nginx in the same namespace;</li>
 *   <li>{@code clickhouse/clickhouse-server}: Debian's clickhouse-server with the user the image
 *       makes from {@code CLICKHOUSE_USER}/{@code CLICKHOUSE_PASSWORD};</li>
 *   <li>{@code nginx}: Debian's nginx, the templates rendered with envsubst as the image does;</li>
 *   <li>{@code prom/prometheus}: Debian's prometheus with the service's command;</li>
 *   <li>the tributary image: the Dockerfile's COPY, ENV, WORKDIR and ENTRYPOINT replayed into a
 *       directory, and its {@code tributary} script run from there.</li>
 * </ul>
 * A container path ({@code /var/lib/tributary}, {@code /etc/prometheus/prometheus.yml}) in a value
 * is replaced by the host directory standing in for it. Not modelled: published ports (the test
 * reaches services by address), restart policies, ulimits and the user an image runs as. Services
 * whose software is not on this machine (Grafana) are listed by {@link #notRun()}.
 */
final class LocalComposeStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalComposeStack.class);
    private static final Path NGINX = Path.of("/usr/sbin/nginx");
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final Path ENVSUBST = Path.of("/usr/bin/envsubst");
    private static final Path APICURIO = Path.of("..", "platform", "target", "apicurio");
    private static final Duration HEALTHY_TIMEOUT = Duration.ofSeconds(180);
    /** The variables the apache/kafka image passes to the JVM rather than into server.properties. */
    private static final Set<String> KAFKA_NOT_PROPERTIES = Set.of("KAFKA_VERSION", "KAFKA_HEAP_OPTS", "KAFKA_LOG4J_OPTS", "KAFKA_OPTS",
            "KAFKA_JMX_OPTS", "KAFKA_JVM_PERFORMANCE_OPTS", "KAFKA_GC_LOG_OPTS", "KAFKA_LOG4J_ROOT_LOGLEVEL", "KAFKA_LOG4J_LOGGERS",
            "KAFKA_TOOLS_LOG4J_LOGLEVEL");
    /** The base images' PATH (eclipse-temurin puts its JDK first): here this JVM's. */
    private static final String BASE_PATH = Path.of(System.getProperty("java.home"), "bin") + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** A running stand-in for a container: its processes, environment and the host dirs of its container paths. */
    private record Container(Service service, Path dir, Map<String, String> environment, Map<String, Path> mounts, List<Process> processes) {
        String translate(String value) {
            String out = value;
            for (Map.Entry<String, Path> m : mounts.entrySet().stream().sorted(Comparator.comparingInt((Map.Entry<String, Path> e) -> -e.getKey().length())).toList()) {
                out = out.replaceAll("(?<=^|[\\s=:,\"'])" + Pattern.quote(m.getKey()) + "(?=$|[/\\s\"',;])", Matcher.quoteReplacement(m.getValue().toString()));
            }
            return out;
        }

        Path host(String containerPath) {
            return Path.of(translate(containerPath));
        }
    }

    private final ComposeProject project;
    private final ContainerNetwork network;
    private final Path root;
    private final Map<String, Container> containers = new LinkedHashMap<>();
    private final Map<String, String> notRun = new TreeMap<>();
    private final Set<String> healthy = new HashSet<>();
    /** If the test JVM dies without close(), no stand-in outlives it and no namespace is left behind. */
    private final Thread shutdownHook;

    private LocalComposeStack(ComposeProject project, ContainerNetwork network, Path root) {
        this.project = project;
        this.network = network;
        this.root = root;
        this.shutdownHook = new Thread(() -> {
            containers.values().forEach(c -> c.processes().forEach(Process::destroyForcibly));
            network.close();
        }, "compose-stack-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Why the stack cannot be brought up here, if it cannot. */
    static Optional<String> unavailable() {
        Optional<String> network = ContainerNetwork.unavailable();
        if (network.isPresent()) {
            return network;
        }
        List<String> missing = new ArrayList<>();
        for (Path binary : List.of(NGINX, PROMETHEUS, ENVSUBST, Path.of("/usr/bin/curl"), Path.of("/usr/bin/wget"), Path.of("/usr/bin/unshare"))) {
            if (!Files.isExecutable(binary)) {
                missing.add(binary.toString());
            }
        }
        if (ClickHouseServer.serverCommand().isEmpty()) {
            missing.add("clickhouse-server");
        }
        if (apicurioRunner().isEmpty()) {
            missing.add("the Apicurio Registry distribution under platform/target/apicurio (the platform build unpacks it)");
        }
        if (!Files.exists(LauncherProcess.JAR)) {
            missing.add(LauncherProcess.JAR + " (integration tests run after package)");
        }
        return missing.isEmpty() ? Optional.empty()
                : Optional.of("missing " + String.join(", ", missing) + " (.ci/run installs nginx, prometheus, wget and curl with apt-get)");
    }

    /** {@code docker compose up --wait}: every service started in dependency order, then every health check passing. */
    static LocalComposeStack up(Path composeDir, Map<String, String> shell) throws Exception {
        ComposeProject project = ComposeProject.load(composeDir, shell);
        Path root = Files.createTempDirectory("tributary-compose-");
        ContainerNetwork network = ContainerNetwork.create(List.copyOf(project.services().keySet()));
        LocalComposeStack stack = new LocalComposeStack(project, network, root);
        try {
            for (Service service : project.startOrder()) {
                for (Map.Entry<String, String> dependency : service.dependsOn().entrySet()) {
                    if (dependency.getValue().equals("service_healthy")) {
                        stack.awaitHealthy(dependency.getKey());
                    }
                }
                stack.start(service);
            }
            for (String name : stack.containers.keySet()) {
                stack.awaitHealthy(name);
            }
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    String address(String service) {
        return network.address(service);
    }

    /** Services not brought up, with why. */
    Map<String, String> notRun() {
        return Map.copyOf(notRun);
    }

    ComposeProject project() {
        return project;
    }

    /** {@code docker compose exec <service> <command>}: run to its end with the container's environment; exit code and output. */
    LauncherProcess.Completed exec(String service, List<String> command, Duration timeout) throws IOException, InterruptedException {
        Container c = require(service);
        Path output = Files.createTempFile(root, "exec-", ".log");
        Process process = processBuilder(c, command, c.dir()).redirectOutput(output.toFile()).start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException(service + ": " + command + " did not end within " + timeout + ":\n" + Files.readString(output));
        }
        return new LauncherProcess.Completed(process.exitValue(), Files.readString(output));
    }

    /** The log of a service's processes, for failure messages. */
    String logs(String service) {
        Container c = require(service);
        StringBuilder out = new StringBuilder();
        try (Stream<Path> logs = Files.list(c.dir().resolve("logs"))) {
            for (Path log : logs.sorted().toList()) {
                String text = Files.readString(log);
                out.append("--- ").append(log.getFileName()).append('\n').append(text.length() > 4000 ? text.substring(text.length() - 4000) : text);
            }
        } catch (IOException e) {
            out.append("(logs unreadable: ").append(e.getMessage()).append(')');
        }
        return out.toString();
    }

    private Container require(String service) {
        Container c = containers.get(service);
        if (c == null) {
            throw new IllegalArgumentException(service + " is not running" + (notRun.containsKey(service) ? ": " + notRun.get(service) : ""));
        }
        return c;
    }

    private void start(Service service) throws IOException, InterruptedException {
        String repository = ComposeProject.repository(service.image());
        if (service.build().isPresent()) {
            startTributaryImage(service);
        } else if (repository.equals("apache/kafka")) {
            startKafka(service);
        } else if (repository.equals("confluentinc/cp-schema-registry")) {
            startSchemaRegistry(service);
        } else if (repository.equals("clickhouse/clickhouse-server")) {
            startClickHouse(service);
        } else if (repository.equals("nginx")) {
            startNginx(service);
        } else if (repository.equals("prom/prometheus")) {
            startPrometheus(service);
        } else {
            notRun.put(service.name(), service.image() + ": no stand-in for this image on this machine");
            LOG.info("compose service {} not run: {}", service.name(), notRun.get(service.name()));
        }
    }

    /** A container's directory, its volumes (named: shared under the project; bind: the compose dir's files) and environment. */
    private Container container(Service service, Map<String, String> imageEnvironment, Map<String, Path> imageMounts) throws IOException {
        Path dir = Files.createDirectories(root.resolve("services").resolve(service.name()));
        Files.createDirectories(dir.resolve("logs"));
        Map<String, Path> mounts = new LinkedHashMap<>(imageMounts);
        for (Volume v : service.volumes()) {
            Path host = v.named() ? Files.createDirectories(root.resolve("volumes").resolve(v.source()))
                    : project.dir().resolve(v.source()).toAbsolutePath().normalize();
            mounts.put(v.target(), host);
        }
        Map<String, String> environment = new LinkedHashMap<>(imageEnvironment);
        environment.putIfAbsent("PATH", BASE_PATH);
        environment.put("HOSTNAME", service.name());
        environment.putAll(service.environment());
        service.memoryLimit().ifPresent(limit -> environment.put("JAVA_TOOL_OPTIONS", "-XX:MaxRAM=" + limit.toLowerCase(Locale.ROOT)));
        Container c = new Container(service, dir, environment, mounts, new ArrayList<>());
        environment.replaceAll((name, value) -> c.translate(value));
        containers.put(service.name(), c);
        return c;
    }

    private ProcessBuilder processBuilder(Container c, List<String> command, Path workingDir) {
        List<String> translated = command.stream().map(c::translate).toList();
        ProcessBuilder builder = new ProcessBuilder(network.inside(c.service().name(), translated)).directory(workingDir.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(c.environment());
        return builder;
    }

    private Process launch(Container c, String name, List<String> command, Path workingDir) throws IOException {
        Process process = processBuilder(c, command, workingDir)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(c.dir().resolve("logs").resolve(name + ".log").toFile())).start();
        c.processes().add(process);
        LOG.info("compose service {}: {} started (pid {})", c.service().name(), name, process.pid());
        return process;
    }

    // --- apache/kafka -------------------------------------------------------------------------

    private void startKafka(Service service) throws IOException, InterruptedException {
        Path image = root.resolve("images").resolve(service.name());
        Path bin = Files.createDirectories(image.resolve("opt/kafka/bin"));
        // The health check's tool: the image's script, here the same question (the broker's API versions) asked by BrokerApiVersionsProbe.
        script(bin.resolve("kafka-broker-api-versions.sh"), List.of(LauncherProcess.javaBinary(), "-cp", System.getProperty("java.class.path"),
                BrokerApiVersionsProbe.class.getName()));
        Container c = container(service, Map.of(), Map.of("/opt/kafka", image.resolve("opt/kafka")));
        StringBuilder properties = new StringBuilder("# made from the service's KAFKA_* variables by the apache/kafka image's rule\n");
        new TreeMap<>(c.environment()).forEach((name, value) -> {
            if (name.startsWith("KAFKA_") && !KAFKA_NOT_PROPERTIES.contains(name)) {
                properties.append(kafkaProperty(name)).append('=').append(value).append('\n');
            }
        });
        Path config = c.dir().resolve("server.properties");
        Files.writeString(config, properties, StandardCharsets.UTF_8);
        String classPath = System.getProperty("java.class.path");
        Process format = launch(c, "kafka-storage-format", List.of(LauncherProcess.javaBinary(), "-cp", classPath, "kafka.tools.StorageTool", "format",
                "--ignore-formatted", "--cluster-id", c.environment().get("CLUSTER_ID"), "--config", config.toString()), c.dir());
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            throw new IllegalStateException("kafka-storage format failed:\n" + logs(service.name()));
        }
        List<String> command = new ArrayList<>(List.of(LauncherProcess.javaBinary()));
        command.addAll(List.of(c.environment().getOrDefault("KAFKA_HEAP_OPTS", "-Xmx1g").trim().split("\\s+")));
        command.addAll(List.of("-cp", classPath, "kafka.Kafka", config.toString()));
        launch(c, "kafka", command, c.dir());
    }

    /** {@code KAFKA_LOG_DIRS} is {@code log.dirs}: {@code _} a dot, {@code __} a dash, {@code ___} an underscore. */
    static String kafkaProperty(String variable) {
        return variable.substring("KAFKA_".length()).toLowerCase(Locale.ROOT)
                .replace("___", "\u0000").replace("__", "-").replace('_', '.').replace('\u0000', '_');
    }

    // --- confluentinc/cp-schema-registry --------------------------------------------------------

    private void startSchemaRegistry(Service service) throws IOException {
        Container c = container(service, Map.of(), Map.of());
        URI listener = URI.create(c.environment().get("SCHEMA_REGISTRY_LISTENERS").split(",")[0].trim());
        int apicurioPort = listener.getPort() + 10_000;
        Path distribution = APICURIO.toAbsolutePath().normalize();
        launch(c, "apicurio", List.of(LauncherProcess.javaBinary(), "-Xmx256m", "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + apicurioPort,
                "-jar", apicurioRunner().orElseThrow().toString()), distribution);
        // Apicurio serves the Confluent API under /apis/ccompat/v7; cp-schema-registry at the listener's root.
        writeNginxMain(c, """
                server {
                    listen %s:%d;
                    location / {
                        proxy_pass http://127.0.0.1:%d/apis/ccompat/v7/;
                    }
                }
                """.formatted(listener.getHost(), listener.getPort(), apicurioPort));
        launchNginx(c);
    }

    private static Optional<Path> apicurioRunner() {
        try (Stream<Path> files = Files.list(APICURIO)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-runner.jar")).map(f -> f.toAbsolutePath().normalize()).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    // --- clickhouse/clickhouse-server -----------------------------------------------------------

    private void startClickHouse(Service service) throws IOException {
        Container c = container(service, Map.of(), Map.of());
        // The config beside the data, in the volume; the user is what the image's entrypoint makes of
        // CLICKHOUSE_USER/PASSWORD: that user, from any network, instead of "default".
        Path dir = c.host("/var/lib/clickhouse");
        ClickHouseServer.writeConfig(dir, "0.0.0.0", 8123, 9000,
                new ClickHouseServer.User(c.environment().get("CLICKHOUSE_USER"), c.environment().get("CLICKHOUSE_PASSWORD"), List.of("::/0")), "");
        List<String> command = new ArrayList<>(ClickHouseServer.serverCommand().orElseThrow());
        command.add("--config-file=" + dir.resolve("config.xml"));
        launch(c, "clickhouse-server", command, dir);
    }

    // --- nginx ------------------------------------------------------------------------------------

    private void startNginx(Service service) throws IOException, InterruptedException {
        // The image links its logs to the container's output: here they join the service's logs.
        Path logDir = Files.createDirectories(root.resolve("services").resolve(service.name()).resolve("logs"));
        Container c = container(service, Map.of(), Map.of("/var/log/nginx", logDir));
        // The image's 20-envsubst-on-templates.sh: every /etc/nginx/templates/*.template through
        // envsubst, limited to the variables defined in the container, into conf.d/.
        StringBuilder conf = new StringBuilder();
        String defined = String.join(" ", c.environment().keySet().stream().map(name -> "${" + name + "}").toList());
        for (Map.Entry<String, Path> mount : c.mounts().entrySet()) {
            if (mount.getKey().startsWith("/etc/nginx/templates/") && mount.getKey().endsWith(".template")) {
                ProcessBuilder envsubst = new ProcessBuilder(ENVSUBST.toString(), defined).redirectInput(mount.getValue().toFile());
                envsubst.environment().clear();
                envsubst.environment().putAll(c.environment());
                Process process = envsubst.start();
                String rendered = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new IllegalStateException("envsubst failed on " + mount.getValue());
                }
                conf.append(c.translate(rendered)).append('\n');
            }
        }
        writeNginxMain(c, conf.toString());
        launchNginx(c);
    }

    /** The image's nginx.conf around {@code http} (daemon off, as its CMD), its paths in the container's dir. */
    private static void writeNginxMain(Container c, String http) throws IOException {
        Path dir = Files.createDirectories(c.dir().resolve("nginx"));
        for (String temp : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
            Files.createDirectories(dir.resolve("temp").resolve(temp));
        }
        Files.writeString(dir.resolve("nginx.conf"), """
                daemon off;
                worker_processes 2;
                pid %1$s/nginx.pid;
                error_log stderr notice;
                events { worker_connections 1024; }
                http {
                    include /etc/nginx/mime.types;
                    default_type application/octet-stream;
                    sendfile on;
                    keepalive_timeout 65;
                    client_body_temp_path %1$s/temp/client_body;
                    proxy_temp_path %1$s/temp/proxy;
                    fastcgi_temp_path %1$s/temp/fastcgi;
                    uwsgi_temp_path %1$s/temp/uwsgi;
                    scgi_temp_path %1$s/temp/scgi;
                    access_log off;
                %2$s
                }
                """.formatted(dir, http), StandardCharsets.UTF_8);
    }

    private void launchNginx(Container c) throws IOException {
        Path dir = c.dir().resolve("nginx");
        launch(c, "nginx", List.of(NGINX.toString(), "-p", dir + "/", "-c", dir.resolve("nginx.conf").toString()), dir);
    }

    // --- prom/prometheus ---------------------------------------------------------------------------

    private void startPrometheus(Service service) throws IOException {
        Container c = container(service, Map.of(), Map.of());
        List<String> command = new ArrayList<>(List.of(PROMETHEUS.toString()));
        command.addAll(service.command());
        launch(c, "prometheus", command, c.dir());
    }

    // --- the tributary image (build: deploy/Dockerfile) --------------------------------------------

    private void startTributaryImage(Service service) throws IOException {
        ComposeProject.Build build = service.build().orElseThrow();
        Path image = root.resolve("images").resolve("tributary");
        Map<String, String> env = new LinkedHashMap<>(Map.of("PATH", BASE_PATH));
        Map<String, Path> mounts = new LinkedHashMap<>();
        List<String> entrypoint = List.of();
        List<String> cmd = List.of();
        String workdir = "/";
        boolean fresh = !Files.exists(image);
        for (String line : Files.readAllLines(build.dockerfile())) {
            String[] parts = line.trim().split("\\s+", 2);
            if (parts.length < 2 || parts[0].startsWith("#")) {
                continue;
            }
            switch (parts[0]) {
                case "COPY" -> {
                    String[] fromTo = parts[1].split("\\s+");
                    Path target = image.resolve(fromTo[1].substring(1));
                    if (fresh) {
                        Files.createDirectories(target.getParent());
                        Files.createSymbolicLink(target, build.context().resolve(fromTo[0]).toAbsolutePath().normalize());
                    }
                    String top = "/" + fromTo[1].substring(1).split("/")[0];
                    mounts.put(top, image.resolve(top.substring(1)));
                }
                case "ENV" -> {
                    int eq = parts[1].indexOf('=');
                    String value = parts[1].substring(eq + 1).replace("$PATH", env.getOrDefault("PATH", ""));
                    env.put(parts[1].substring(0, eq), value);
                }
                case "WORKDIR" -> workdir = parts[1];
                case "ENTRYPOINT" -> entrypoint = jsonArray(parts[1]);
                case "CMD" -> cmd = jsonArray(parts[1]);
                default -> {
                    // FROM (this JVM stands in for the JRE), RUN (curl: on this machine), USER, EXPOSE: nothing to replay
                }
            }
        }
        Path containerLayer = root.resolve("services").resolve(service.name()).resolve("rootfs");
        String cwd = workdir;
        if (service.volumes().stream().noneMatch(v -> v.target().equals(cwd))) {
            mounts.put(cwd, Files.createDirectories(containerLayer.resolve(cwd.substring(1))));
        }
        Container c = container(service, env, mounts);
        List<String> command = new ArrayList<>(entrypoint);
        command.addAll(service.command().isEmpty() ? cmd : service.command());
        launch(c, "tributary", command, c.host(workdir));
    }

    private static List<String> jsonArray(String text) {
        List<String> out = new ArrayList<>();
        for (JsonNode item : Http.json(text)) {
            out.add(item.asText());
        }
        return out;
    }

    // --- health ----------------------------------------------------------------------------------

    /** Runs the service's health check until it passes, as compose does for {@code condition: service_healthy}. */
    private void awaitHealthy(String name) throws IOException, InterruptedException {
        Container c = containers.get(name);
        if (c == null || healthy.contains(name) || c.service().healthcheck().isEmpty()) {
            return;
        }
        List<String> test = c.service().healthcheck();
        List<String> command = switch (test.get(0)) {
            case "CMD" -> test.subList(1, test.size());
            case "CMD-SHELL" -> List.of("/bin/sh", "-c", test.get(1));
            default -> throw new IllegalArgumentException(name + ": health check " + test);
        };
        long started = System.nanoTime();
        long deadline = started + HEALTHY_TIMEOUT.toNanos();
        LauncherProcess.Completed last = null;
        while (System.nanoTime() < deadline) {
            for (Process p : c.processes()) {
                if (!p.isAlive() && p.exitValue() != 0) {
                    throw new IllegalStateException(name + " exited with " + p.exitValue() + " before it was healthy:\n" + logs(name));
                }
            }
            last = exec(name, command, Duration.ofSeconds(30));
            if (last.exitCode() == 0) {
                healthy.add(name);
                LOG.info("compose service {} healthy after {} ms", name, (System.nanoTime() - started) / 1_000_000);
                return;
            }
            Thread.sleep(1_000);
        }
        throw new IllegalStateException(name + " not healthy within " + HEALTHY_TIMEOUT + "; its check " + test + " last answered "
                + (last == null ? "nothing" : last.exitCode() + ": " + last.output()) + "\n" + logs(name));
    }

    private static void script(Path file, List<String> command) throws IOException {
        StringBuilder text = new StringBuilder("#!/bin/sh\nexec");
        command.forEach(arg -> text.append(" '").append(arg.replace("'", "'\\''")).append('\''));
        text.append(" \"$@\"\n");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** {@code docker compose down -v}: SIGTERM to every process, newest service first, SIGKILL after the grace period; volumes deleted. */
    @Override
    public void close() {
        List<Container> reversed = new ArrayList<>(containers.values());
        java.util.Collections.reverse(reversed);
        for (Container c : reversed) {
            c.processes().forEach(Process::destroy);
        }
        for (Container c : reversed) {
            for (Process p : c.processes()) {
                try {
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
        network.close();
        TestFiles.deleteRecursively(root);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down and runs the hook itself
        }
    }
}
