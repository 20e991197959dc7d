package io.tributary.platform.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apicurio Registry 2.6 process (in-memory storage) on a free loopback port, from the
 * distribution the build unpacks into {@code platform/target/apicurio}. Its output goes to
 * {@code target/apicurio-<port>.log}.
 */
final class ApicurioRegistryProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApicurioRegistryProcess.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final String RUNNER_SUFFIX = "-runner.jar";

    private final Process process;
    private final Thread shutdownHook;
    private final int port;
    private final Path log;

    private ApicurioRegistryProcess(Process process, Thread shutdownHook, int port, Path log) {
        this.process = process;
        this.shutdownHook = shutdownHook;
        this.port = port;
        this.log = log;
    }

    /** Why Apicurio cannot be started here, if it cannot: the unpacked distribution is missing. */
    static Optional<String> missingDistribution() {
        Path distribution = distribution();
        return runnerJar(distribution).isPresent() ? Optional.empty() : Optional.of("Apicurio Registry distribution missing: no *"
                + RUNNER_SUFFIX + " under " + distribution.toAbsolutePath() + "; the platform build unpacks "
                + "io.apicurio:apicurio-registry-app:zip:all there in pre-integration-test "
                + "(run `./mvnw -pl platform -am verify`, without -Dapicurio.skipUnpack=true)");
    }

    /** Starts Apicurio and waits until it is ready. */
    static ApicurioRegistryProcess start() {
        Path distribution = distribution();
        Optional<Path> jar = runnerJar(distribution);
        if (jar.isEmpty()) {
            throw new IllegalStateException(missingDistribution().orElseThrow());
        }
        int port = freePort();
        Path log = distribution.getParent().resolve("apicurio-" + port + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx256m",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port, "-jar", jar.get().toString()))
                .directory(distribution.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        long started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Apicurio Registry from " + jar.get(), e);
        }
        // If the test JVM dies without closing us, the registry must not outlive it.
        Thread hook = new Thread(process::destroyForcibly, "apicurio-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        ApicurioRegistryProcess apicurio = new ApicurioRegistryProcess(process, hook, port, log);
        try {
            apicurio.awaitReady();
        } catch (RuntimeException | Error e) {
            apicurio.close();
            throw e;
        }
        LOG.info("Apicurio Registry ready on port {} in {} ms", port, (System.nanoTime() - started) / 1_000_000);
        return apicurio;
    }

    /** The Confluent-compatible API. */
    String confluentApiUrl() {
        return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down and runs the hook itself
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Apicurio Registry exited with " + process.exitValue() + " before it was ready:\n" + logTail());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Apicurio Registry", e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Apicurio Registry", e);
            }
        }
        throw new IllegalStateException("Apicurio Registry not ready within " + READY_TIMEOUT.toSeconds() + " s:\n" + logTail());
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    private static Path distribution() {
        return Path.of(System.getProperty("basedir", "."), "target", "apicurio");
    }

    private static Optional<Path> runnerJar(Path distribution) {
        if (!Files.isDirectory(distribution)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(distribution, 2)) {
            return files.filter(p -> p.getFileName().toString().endsWith(RUNNER_SUFFIX)).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
