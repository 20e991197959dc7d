package io.tributary.platform.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ClickHouse server for tests, one of two kinds:
 * <ul>
 *   <li>managed: a real {@code clickhouse-server} process started here on free loopback ports, with
 *       its own temp dir, generated config.xml/users.xml (root element {@code <yandex>}, understood by
 *       18.16 and current releases), logs at warning level in that dir. It can be {@link #stop()}ped
 *       and {@link #start()}ed again on the same data (outage tests); {@link #close()} stops it and
 *       deletes the dir;</li>
 *   <li>external: the server at env {@code CLICKHOUSE_URL} (user {@code CLICKHOUSE_USER}, default
 *       {@code default}; password {@code CLICKHOUSE_PASSWORD}, default empty). It cannot be stopped;
 *       the databases handed out by {@link #newDatabase} are dropped on close.</li>
 * </ul>
 * Either way each test class takes its own database from {@link #newDatabase}, unique per run.
 */
public final class ClickHouseServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseServer.class);
    private static final List<Path> KNOWN_BINARIES = List.of(Path.of("/usr/sbin/clickhouse-server"), Path.of("/usr/bin/clickhouse-server"));
    static final String NOT_FOUND = "clickhouse-server not found on PATH and CLICKHOUSE_URL not set";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final String url;
    private final String user;
    private final String password;
    private final Optional<Managed> managed;
    private final String runId = Long.toString(System.currentTimeMillis(), 36) + Integer.toString((int) (Math.random() * 36 * 36 * 36), 36);
    private final AtomicInteger databases = new AtomicInteger();
    private final List<String> handedOut = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The process side of a managed server; {@code process} is replaced on restart. */
    private static final class Managed {
        final List<String> command;
        final Path dir;
        Process process;

        Managed(List<String> command, Path dir) {
            this.command = command;
            this.dir = dir;
        }
    }

    private ClickHouseServer(String url, String user, String password, Optional<Managed> managed) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.managed = managed;
    }

    /**
     * The server tests can have here: CLICKHOUSE_URL if set, else a local clickhouse-server process;
     * empty, with {@code whyNot} set, when neither exists.
     */
    public static Optional<ClickHouseServer> startOrConnect(StringBuilder whyNot) {
        String external = System.getenv("CLICKHOUSE_URL");
        if (external != null && !external.isBlank()) {
            String user = Optional.ofNullable(System.getenv("CLICKHOUSE_USER")).orElse("default");
            String password = Optional.ofNullable(System.getenv("CLICKHOUSE_PASSWORD")).orElse("");
            ClickHouseServer server = new ClickHouseServer(external.replaceAll("/+$", ""), user, password, Optional.empty());
            server.awaitPing(Duration.ofSeconds(10), null);
            LOG.info("using external ClickHouse at {} (CLICKHOUSE_URL)", server.url);
            return Optional.of(server);
        }
        Optional<List<String>> command = serverCommand();
        if (command.isEmpty()) {
            whyNot.append(NOT_FOUND);
            return Optional.empty();
        }
        return Optional.of(startManaged(command.get()));
    }

    public static Optional<List<String>> serverCommand() {
        return serverCommand(System.getenv("PATH"), KNOWN_BINARIES);
    }

    /** {@code clickhouse-server} on {@code path} or at a known place; else a single {@code clickhouse} binary run as {@code clickhouse server}. */
    static Optional<List<String>> serverCommand(String path, List<Path> knownBinaries) {
        Optional<Path> server = TestFiles.onPath(path, "clickhouse-server").or(() -> knownBinaries.stream().filter(Files::isExecutable).findFirst());
        if (server.isPresent()) {
            return Optional.of(List.of(server.get().toString()));
        }
        return TestFiles.onPath(path, "clickhouse").map(p -> List.of(p.toString(), "server"));
    }

    private static ClickHouseServer startManaged(List<String> command) {
        return retryOnNewPorts("clickhouse-server", () -> {
            try {
                return startManaged(command, freePort(), freePort(), "");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot find a free port", e);
            }
        });
    }

    /**
     * {@code start} (which picks its own free ports), up to 3 times: a port chosen free can be taken
     * (by an outgoing connection, say) between choosing it and the server binding it.
     */
    static <T> T retryOnNewPorts(String what, Supplier<T> start) {
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                return start.get();
            } catch (IllegalStateException e) {
                last = e;
                LOG.warn("{} did not start (attempt {}): {}", what, attempt, e.getMessage());
            }
        }
        throw last;
    }

    /**
     * Starts one managed server on the given ports, once; {@code extraConfig} is XML added inside the
     * config's root element (a cluster member's {@code <remote_servers>}, {@code <macros>}, ZooKeeper: see
     * {@link ClickHouseCluster}).
     */
    static ClickHouseServer startManaged(List<String> command, int httpPort, int tcpPort, String extraConfig) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("tributary-clickhouse-");
            writeConfig(dir, "127.0.0.1", httpPort, tcpPort, User.LOCAL_DEFAULT, extraConfig);
            Managed managed = new Managed(command, dir);
            ClickHouseServer server = new ClickHouseServer("http://127.0.0.1:" + httpPort, "default", "", Optional.of(managed));
            server.start();
            return server;
        } catch (IOException e) {
            TestFiles.deleteRecursively(dir);
            throw new UncheckedIOException("cannot prepare a clickhouse-server dir", e);
        } catch (IllegalStateException e) {
            TestFiles.deleteRecursively(dir);
            throw e;
        }
    }

    /** A user of a server's users.xml: its password (empty: none) and the networks it may connect from. */
    public record User(String name, String password, List<String> networks) {
        /** The tests' user: "default", no password, from this machine only. */
        static final User LOCAL_DEFAULT = new User("default", "", List.of("127.0.0.1", "::1"));
    }

    /**
     * A server's {@code config.xml} and {@code users.xml} in {@code dir}, its data and logs under it;
     * run it with {@code --config-file=<dir>/config.xml}. {@code user} is the only user.
     */
    public static void writeConfig(Path dir, String listenHost, int httpPort, int tcpPort, User user, String extraConfig) throws IOException {
        for (String sub : List.of("data", "tmp", "user_files", "format_schemas", "log")) {
            Files.createDirectories(dir.resolve(sub));
        }
        String d = dir.toAbsolutePath().toString();
        Files.writeString(dir.resolve("config.xml"), """
                <?xml version="1.0"?>
                <yandex>
                  <logger>
                    <level>warning</level>
                    <log>%1$s/log/clickhouse-server.log</log>
                    <errorlog>%1$s/log/clickhouse-server.err.log</errorlog>
                    <size>10M</size>
                    <count>1</count>
                  </logger>
                  <listen_host>%5$s</listen_host>
                  <http_port>%2$d</http_port>
                  <tcp_port>%3$d</tcp_port>
                  <path>%1$s/data/</path>
                  <tmp_path>%1$s/tmp/</tmp_path>
                  <user_files_path>%1$s/user_files/</user_files_path>
                  <format_schema_path>%1$s/format_schemas/</format_schema_path>
                  <timezone>UTC</timezone>
                  <users_config>users.xml</users_config>
                  <default_profile>default</default_profile>
                  <default_database>default</default_database>
                  <mark_cache_size>268435456</mark_cache_size>
                  <keep_alive_timeout>1</keep_alive_timeout>
                  <shutdown_wait_unfinished>1</shutdown_wait_unfinished>
                %4$s
                </yandex>
                """.formatted(d, httpPort, tcpPort, extraConfig, listenHost), StandardCharsets.UTF_8);
        StringBuilder networks = new StringBuilder();
        user.networks().forEach(n -> networks.append("<ip>").append(n).append("</ip>"));
        Files.writeString(dir.resolve("users.xml"), """
                <?xml version="1.0"?>
                <yandex>
                  <profiles><default></default></profiles>
                  <users>
                    <%1$s>
                      <password>%2$s</password>
                      <networks>%3$s</networks>
                      <profile>default</profile>
                      <quota>default</quota>
                    </%1$s>
                  </users>
                  <quotas><default></default></quotas>
                </yandex>
                """.formatted(user.name(), user.password(), networks), StandardCharsets.UTF_8);
    }

    /** Starts the managed process (again) on its dir and ports; returns when /ping answers. */
    public synchronized void start() {
        Managed m = requireManaged("start");
        if (m.process != null && m.process.isAlive()) {
            return;
        }
        List<String> command = new ArrayList<>(m.command);
        command.add("--config-file=" + m.dir.resolve("config.xml").toAbsolutePath());
        try {
            long started = System.nanoTime();
            m.process = new ProcessBuilder(command)
                    .directory(m.dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(m.dir.resolve("log/stdout.log").toFile()))
                    .start();
            awaitPing(START_TIMEOUT, m);
            LOG.info("clickhouse-server {} listening on {} (dir {}, ready in {} ms)",
                    version(), url, m.dir, (System.nanoTime() - started) / 1_000_000);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
        }
    }

    /** Stops the managed process (SIGTERM, then SIGKILL after 30 s); its data stays for {@link #start()}. */
    public synchronized void stop() {
        Managed m = requireManaged("stop");
        if (m.process == null) {
            return;
        }
        m.process.destroy();
        try {
            if (!m.process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                m.process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            m.process.destroyForcibly();
        }
        m.process = null;
    }

    /** True when this server is a process started here (stop/start possible), false for CLICKHOUSE_URL. */
    public boolean isManaged() {
        return managed.isPresent();
    }

    /** The server process, while it runs; empty for CLICKHOUSE_URL (another machine's, or nobody's to measure). */
    public Optional<ProcessHandle> process() {
        return managed.map(m -> m.process).filter(Process::isAlive).map(Process::toHandle);
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** A database name no other test class or run uses ({@code <prefix>_<run>_<n>}); dropped on close for external servers. */
    public synchronized String newDatabase(String prefix) {
        String name = (prefix + "_" + runId + "_" + databases.incrementAndGet()).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        handedOut.add(name);
        return name;
    }

    /** Runs one statement over HTTP and returns the body (for test set-up and checks, not for the code under test). */
    public String execute(String sql) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(sql))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("ClickHouse answered " + response.statusCode() + " to " + sql + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String version() {
        return execute("SELECT version()").strip();
    }

    @Override
    public synchronized void close() {
        if (managed.isPresent()) {
            stop();
            TestFiles.deleteRecursively(managed.get().dir);
            return;
        }
        for (String database : handedOut) {
            try {
                execute("DROP DATABASE IF EXISTS " + database);
            } catch (RuntimeException e) {
                LOG.warn("cannot drop test database {}: {}", database, e.getMessage());
            }
        }
    }

    private Managed requireManaged(String what) {
        return managed.orElseThrow(() -> new UnsupportedOperationException(
                "cannot " + what + " the external ClickHouse at CLICKHOUSE_URL; only a server started by the tests can be"));
    }

    private void awaitPing(Duration timeout, Managed m) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ping = HttpRequest.newBuilder(URI.create(url + "/ping")).timeout(Duration.ofSeconds(2)).GET().build();
        while (true) {
            if (m != null && !m.process.isAlive()) {
                throw new IllegalStateException("clickhouse-server exited with " + m.process.exitValue() + " before answering /ping; "
                        + tail(m.dir.resolve("log/clickhouse-server.err.log")) + tail(m.dir.resolve("log/stdout.log")));
            }
            try {
                HttpResponse<String> response = http.send(ping, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().strip().equals("Ok.")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for ClickHouse", e);
            }
            if (System.nanoTime() > deadline) {
                if (m != null) {
                    m.process.destroyForcibly();
                }
                throw new IllegalStateException("ClickHouse at " + url + " did not answer /ping within " + timeout.toSeconds() + " s"
                        + (m == null ? "" : "; " + tail(m.dir.resolve("log/clickhouse-server.err.log"))));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for ClickHouse", e);
            }
        }
    }

    private static String tail(Path log) {
        try {
            if (!Files.exists(log)) {
                return "";
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return log.getFileName() + ": " + String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size())) + "\n";
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
