package io.tributary.query.pipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipeCatalogTest {

    private static final String PIPE = """
            DESCRIPTION >
                %s

            SQL >
                SELECT 1 FROM customer_events WHERE workspace_id = {{workspace_id}}
            """;

    @TempDir
    Path temp;

    @Test
    void loadsEveryShippedPipeFromTheClasspath() {
        PipeCatalog catalog = PipeCatalog.fromClasspath(getClass().getClassLoader());

        assertThat(catalog.all()).extracting(PipeDefinition::name).contains("customer_activity");
        assertThat(catalog.find("customer_activity")).isPresent();
        assertThat(catalog.find("nope")).isEmpty();
    }

    @Test
    void loadsPipeFilesOfADirectoryAndIgnoresOtherFiles() throws IOException {
        Files.writeString(temp.resolve("b_pipe.pipe"), PIPE.formatted("B"));
        Files.writeString(temp.resolve("a_pipe.pipe"), PIPE.formatted("A"));
        Files.writeString(temp.resolve("README.md"), "not a pipe");

        PipeCatalog catalog = PipeCatalog.fromDirectory(temp);

        assertThat(catalog.all()).extracting(PipeDefinition::name).containsExactly("a_pipe", "b_pipe");
        assertThat(catalog.find("a_pipe").orElseThrow().description()).isEqualTo("A");
    }

    @Test
    void aBrokenFileFailsTheWholeLoadNamingFileAndLine() throws IOException {
        Files.writeString(temp.resolve("good.pipe"), PIPE.formatted("fine"));
        Files.writeString(temp.resolve("bad.pipe"), "DESCRIPTION >\n    x\nPARAM n Strin\n");

        assertThatThrownBy(() -> PipeCatalog.fromDirectory(temp))
                .isInstanceOf(PipeDefinitionException.class)
                .hasMessageStartingWith("bad.pipe:3: unknown type 'Strin'");
    }

    @Test
    void findsPipeFilesInsideJars() throws IOException {
        Path jar = jar(temp.resolve("pipes.jar"), "pipes/from_jar.pipe", PIPE.formatted("packaged"));

        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            PipeCatalog catalog = PipeCatalog.fromClasspath(loader);

            assertThat(catalog.find("from_jar").orElseThrow().description()).isEqualTo("packaged");
        }
    }

    @Test
    void twoDifferentFilesOfOneNameAreAnError() throws IOException {
        Path dir = Files.createDirectories(temp.resolve("classes/pipes"));
        Files.writeString(dir.resolve("dup.pipe"), PIPE.formatted("from the directory"));
        Path jar = jar(temp.resolve("dup.jar"), "pipes/dup.pipe", PIPE.formatted("from the jar"));

        try (URLClassLoader loader = new URLClassLoader(new URL[] {temp.resolve("classes").toUri().toURL(), jar.toUri().toURL()}, null)) {
            assertThatThrownBy(() -> PipeCatalog.fromClasspath(loader))
                    .isInstanceOf(PipeDefinitionException.class)
                    .hasMessageStartingWith("dup.pipe: two different pipe files of this name");
        }
    }

    private static Path jar(Path path, String entry, String content) throws IOException {
        try (OutputStream out = Files.newOutputStream(path); JarOutputStream jar = new JarOutputStream(out)) {
            jar.putNextEntry(new JarEntry("pipes/"));
            jar.closeEntry();
            jar.putNextEntry(new JarEntry(entry));
            jar.write(content.getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return path;
    }
}
