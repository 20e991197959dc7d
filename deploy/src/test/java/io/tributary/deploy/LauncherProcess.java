package io.tributary.deploy;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar deploy/target/tributary.jar <args>} as a child process, as `./tributary`
 * runs it; its output goes to a file the test can read.
 */
final class LauncherProcess implements AutoCloseable {
    static final Path JAR = Path.of("target", "tributary.jar").toAbsolutePath();

    private final Process process;
    private final Path output;
    final int httpPort;
    final Duration startedIn;

    private LauncherProcess(Process process, Path output, int httpPort, Duration startedIn) {
        this.process = process;
        this.output = output;
        this.httpPort = httpPort;
        this.startedIn = startedIn;
    }

    /** Starts `tributary up` on {@code dataDir} and waits until /ready answers 200. */
    static LauncherProcess up(Path dataDir, Map<String, String> env, String... extraArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("--kafka-port", "0", "--partitions", "3"));
        args.addAll(List.of(extraArgs));
        return start("up", dataDir, env, args);
    }

    /**
     * Starts {@code tributary <command>} (e.g. {@code gateway}, {@code processors}) on
     * {@code dataDir} and a free loopback HTTP port, with {@code env} (TRIBUTARY_* settings) as its
     * only settings from the environment, and waits until its /ready answers 200.
     */
    static LauncherProcess start(String command, Path dataDir, Map<String, String> env, List<String> extraArgs) throws Exception {
        requireJar();
        int port = freePort();
        List<String> line = new ArrayList<>(List.of("-Xmx768m", "-jar", JAR.toString(), command,
                "--data-dir", dataDir.toString(), "--http-host", "127.0.0.1", "--http-port", Integer.toString(port)));
        line.addAll(extraArgs);
        long started = System.nanoTime();
        LauncherProcess launched = java("tributary-" + command, line, env, port);
        Process process = launched.process;
        Path output = launched.output;
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("tributary " + command + " exited with " + process.exitValue() + ":\n" + launched.output());
            }
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return new LauncherProcess(process, output, port, Duration.ofNanos(System.nanoTime() - started));
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        launched.close();
        throw new IllegalStateException("tributary " + command + " was not ready within 120 s:\n" + launched.output());
    }

    /** What a one-shot command of the packaged jar did. */
    record Completed(int exitCode, String output) {
    }

    /** Runs {@code java -jar tributary.jar <args>} to its end (e.g. `tributary replay`), without TRIBUTARY_ environment variables. */
    static Completed run(Duration timeout, String... args) throws Exception {
        requireJar();
        List<String> line = new ArrayList<>(List.of("-Xmx512m", "-jar", JAR.toString()));
        line.addAll(List.of(args));
        LauncherProcess launched = java("tributary-command", line, Map.of());
        try {
            if (!launched.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                launched.process.destroyForcibly().waitFor();
                throw new IllegalStateException(String.join(" ", args) + " did not end within " + timeout + ":\n" + launched.output());
            }
            return new Completed(launched.process.exitValue(), launched.output());
        } finally {
            Files.deleteIfExists(launched.output);
        }
    }

    private static void requireJar() {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: integration tests run after `package`");
        }
    }

    /**
     * {@code java <args>} (this JVM's java) as a child process, its output in a temp file named
     * after {@code name}, with {@code env} as its only TRIBUTARY_* variables; not waited for.
     */
    static LauncherProcess java(String name, List<String> args, Map<String, String> env) throws IOException {
        return java(name, args, env, 0);
    }

    private static LauncherProcess java(String name, List<String> args, Map<String, String> env, int httpPort) throws IOException {
        List<String> line = new ArrayList<>(List.of(javaBinary()));
        line.addAll(args);
        Path output = Files.createTempFile(name + "-", ".log");
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("TRIBUTARY_"));
        builder.environment().putAll(env);
        return new LauncherProcess(builder.start(), output, httpPort, Duration.ZERO);
    }

    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last few thousand characters of the output, for a failure message. */
    String outputTail() {
        String all = output();
        return all.length() > 6000 ? all.substring(all.length() - 6000) : all;
    }

    /** SIGTERM, as Ctrl-C or a service manager would; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("tributary did not stop within 60 s of SIGTERM:\n" + output());
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or committed, as when a machine dies. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("tributary did not die within 30 s of SIGKILL");
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** This JVM's java: child JVMs run the same Java. */
    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
