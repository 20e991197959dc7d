package io.tributary.query.pipes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The loaded pipes, by name. Built once at start-up; any broken pipe file fails the start with its
 * file and line, so a bad deploy never serves half its endpoints.
 */
public final class PipeCatalog {
    /** Where pipe files live on the classpath: query-api/src/main/resources/pipes/. */
    public static final String CLASSPATH_DIR = "pipes";

    private final Map<String, PipeDefinition> pipes;

    private PipeCatalog(Map<String, PipeDefinition> pipes) {
        this.pipes = Collections.unmodifiableMap(new TreeMap<>(pipes));
    }

    public static PipeCatalog of(Collection<PipeDefinition> definitions) {
        Map<String, PipeDefinition> byName = new TreeMap<>();
        for (PipeDefinition definition : definitions) {
            if (byName.put(definition.name(), definition) != null) {
                throw new IllegalArgumentException("two pipes named " + definition.name());
            }
        }
        return new PipeCatalog(byName);
    }

    /**
     * Loads every {@code pipes/*.pipe} on the classpath, whether the directory is on disk (IDE,
     * Maven test runs) or inside a jar (packaged launcher), so adding an endpoint is adding a file.
     */
    public static PipeCatalog fromClasspath(ClassLoader loader) {
        Map<String, PipeFile> files = new TreeMap<>();
        try {
            Enumeration<URL> roots = loader.getResources(CLASSPATH_DIR);
            while (roots.hasMoreElements()) {
                collect(roots.nextElement(), files);
            }
            // a jar built without directory entries has no "pipes" resource; look in our own jar too
            CodeSource ownCode = PipeCatalog.class.getProtectionDomain().getCodeSource();
            if (ownCode != null && ownCode.getLocation() != null && "file".equals(ownCode.getLocation().getProtocol())) {
                Path location = Path.of(ownCode.getLocation().toURI());
                if (Files.isDirectory(location)) {
                    collectDirectory(location.resolve(CLASSPATH_DIR), files);
                } else if (Files.isRegularFile(location)) {
                    collectJar(location, files);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list pipe files on the classpath", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the query-api classes", e);
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no pipe files (" + CLASSPATH_DIR + "/*" + PipeFileParser.EXTENSION + ") on the classpath");
        }
        return parseAll(files);
    }

    /** Loads every {@code *.pipe} file of {@code directory} (not recursive). */
    public static PipeCatalog fromDirectory(Path directory) {
        Map<String, PipeFile> files = new TreeMap<>();
        try {
            if (!Files.isDirectory(directory)) {
                throw new IllegalArgumentException("pipe directory " + directory + " does not exist");
            }
            collectDirectory(directory, files);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read pipe files in " + directory, e);
        }
        return parseAll(files);
    }

    public Optional<PipeDefinition> find(String name) {
        return Optional.ofNullable(pipes.get(name));
    }

    /** All pipes, sorted by name. */
    public List<PipeDefinition> all() {
        return List.copyOf(pipes.values());
    }

    private record PipeFile(String fileName, String origin, String text) {
    }

    private static PipeCatalog parseAll(Map<String, PipeFile> files) {
        List<PipeDefinition> definitions = new ArrayList<>();
        for (PipeFile file : files.values()) {
            definitions.add(PipeFileParser.parse(file.fileName(), file.text()));
        }
        return of(definitions);
    }

    private static void collect(URL root, Map<String, PipeFile> files) throws IOException, URISyntaxException {
        switch (root.getProtocol()) {
            case "file" -> collectDirectory(Path.of(root.toURI()), files);
            case "jar" -> {
                URLConnection connection = root.openConnection();
                Path jar = Path.of(((JarURLConnection) connection).getJarFileURL().toURI());
                collectJar(jar, files);
            }
            default -> throw new IllegalStateException("cannot list pipe files under " + root
                    + ": only directories and jars are supported");
        }
    }

    private static void collectDirectory(Path directory, Map<String, PipeFile> files) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.list(directory)) {
            for (Path path : paths.filter(p -> p.getFileName().toString().endsWith(PipeFileParser.EXTENSION)).sorted().toList()) {
                add(files, new PipeFile(path.getFileName().toString(), path.toString(),
                        Files.readString(path, StandardCharsets.UTF_8)));
            }
        }
    }

    private static void collectJar(Path jarPath, Map<String, PipeFile> files) throws IOException {
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String entryName = entry.getName();
                if (entry.isDirectory() || !entryName.startsWith(CLASSPATH_DIR + "/")) {
                    continue;
                }
                String fileName = entryName.substring(CLASSPATH_DIR.length() + 1);
                if (!fileName.contains("/") && fileName.endsWith(PipeFileParser.EXTENSION)) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        add(files, new PipeFile(fileName, jarPath + "!/" + entryName,
                                new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                    }
                }
            }
        }
    }

    /** The same file may be reached twice (resource scan and own jar); two different files of one name are an error. */
    private static void add(Map<String, PipeFile> files, PipeFile file) {
        PipeFile previous = files.putIfAbsent(file.fileName(), file);
        if (previous != null && !previous.text().equals(file.text())) {
            throw new PipeDefinitionException(file.fileName(), 0, "two different pipe files of this name: "
                    + previous.origin() + " and " + file.origin());
        }
    }
}
