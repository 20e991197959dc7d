package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.platform.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's settings table must list every setting the launcher reads, so it cannot drift from the code. */
class ReadmeSettingsTest {

    @Test
    void everySettingIsDocumentedWithItsEnvVar() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (Setting s : Setting.values()) {
            assertThat(readme).as(s.name()).contains("| `" + s.flag() + "` | `" + s.envVar() + "` |");
        }
    }

    @Test
    void theReadmeStartsWithTheTwoSetUpCommands() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        assertThat(readme).startsWith("# Tributary\n\n```sh\n./tributary up ");
        assertThat(readme.lines().skip(4).findFirst().orElseThrow()).startsWith("./mvnw -B verify ");
    }
}
