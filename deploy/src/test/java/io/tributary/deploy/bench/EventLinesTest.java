package io.tributary.deploy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventLinesTest {

    @Test
    void bodiesCarryTheirIdsAndCanBeCut() {
        EventLines lines = new EventLines("run", "icust-", 10, 3, 2, 1);
        String full = new String(lines.template(0).fill(7), StandardCharsets.US_ASCII);
        assertThat(full.split("\n")).hasSize(3);
        assertThat(full).contains("\"event_id\":\"e-run-0000000007\"", "\"event_id\":\"e-run-0000000009\"");

        String cut = new String(lines.template(0).fill(7, 2), StandardCharsets.US_ASCII);
        assertThat(cut.split("\n")).hasSize(2);
        assertThat(cut).endsWith("}\n").contains("e-run-0000000008").doesNotContain("e-run-0000000009");
        assertThat(full).startsWith(cut);
    }
}
