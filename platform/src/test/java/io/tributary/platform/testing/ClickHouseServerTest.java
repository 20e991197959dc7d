package io.tributary.platform.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClickHouseServerTest {

    @Test
    void findsTheServerBinaryOnPathAtKnownPlacesOrTheSingleBinary(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThat(ClickHouseServer.serverCommand(empty.toString(), List.of(dir.resolve("nowhere")))).isEmpty();
        assertThat(ClickHouseServer.serverCommand(null, List.of())).isEmpty();

        Path single = executable(bin.resolve("clickhouse"));
        assertThat(ClickHouseServer.serverCommand(empty + ":" + bin, List.of())).contains(List.of(single.toString(), "server"));

        Path known = executable(dir.resolve("known-clickhouse-server"));
        assertThat(ClickHouseServer.serverCommand(bin.toString(), List.of(known))).contains(List.of(known.toString()));

        Path onPath = executable(bin.resolve("clickhouse-server"));
        assertThat(ClickHouseServer.serverCommand(bin.toString(), List.of(known))).isEqualTo(Optional.of(List.of(onPath.toString())));
    }

    @Test
    void theSkipMessageSaysWhatIsMissing() {
        assertThat(ClickHouseServer.NOT_FOUND).isEqualTo("clickhouse-server not found on PATH and CLICKHOUSE_URL not set");
    }

    private static Path executable(Path file) throws Exception {
        Files.writeString(file, "#!/bin/sh\nexit 1\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
