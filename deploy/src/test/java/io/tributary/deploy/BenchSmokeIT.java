package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.deploy.bench.Bench;
import io.tributary.deploy.bench.BenchOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `tributary bench` at a tiny size (20,000 query events over 2,000 customers, 2,000 ingest records, 3 s of freshness,
 * an upload of 200 customers x 20 metric dates after a warm-up upload of 100, 5 calls per pipe): every phase runs, and the JSON, markdown and PNG
 * files hold every figure.
 * No timing is asserted: the bench measures, it does not judge.
 */
class BenchSmokeIT {

    @Test
    void tinyBenchWritesEveryFigure(@TempDir Path out) throws Exception {
        StringWriter printed = new StringWriter();
        try {
            Bench.run(new BenchOptions("duckdb", "http://127.0.0.1:8123", false, 20_000, 2_000, 3, 5, out,
                    false, 200, 20, true), new PrintWriter(printed, true));
        } finally {
            System.out.print(printed);
        }

        assertThat(printed.toString()).containsPattern("(?m)^gateway/baseline ratio: [0-9.]+$").contains("| Phase | Metric |")
                .containsPattern("(?m)^upload: 200 customers x 20 metrics, [0-9.]+ MB, 200 after [0-9.]+ s$")
                .containsPattern("(?m)^upload: all 200 scores queryable [0-9.]+ s after the 200 \\(target <= 10 s at 10,000 x 200\\)$")
                .containsPattern("(?m)^upload: all 4,000 metric rows stored [0-9.]+ s after the 200 \\(informational\\)$");
        for (String file : List.of("bench.json", "bench.md", "bench-throughput.png", "bench-queries.png")) {
            assertThat(out.resolve(file)).isNotEmptyFile();
        }
        JsonNode json = new ObjectMapper().readTree(out.resolve("bench.json").toFile());
        for (String figure : List.of("/baseline/records_per_second", "/gateway/rows_per_second", "/gateway/ratio_to_baseline",
                "/sink/rows_per_second", "/freshness/p50_ms", "/freshness/p99_ms", "/freshness/max_ms", "/queries/load_rows_per_second",
                "/memory/heap_used_mib", "/memory/rss_mib", "/upload/body_mb", "/upload/seconds_to_200",
                "/upload/scores_queryable_seconds_after_200", "/upload/notification_seconds_after_200", "/upload/metric_rows_stored_seconds_after_200")) {
            assertThat(json.at(figure).isNumber()).as(figure).isTrue();
            assertThat(json.at(figure).asDouble()).as(figure).isPositive();
        }
        assertThat(json.at("/queries/loaded_directly_into_store").asBoolean()).isTrue();
        assertThat(json.at("/baseline/records").asLong()).isEqualTo(2_000);
        assertThat(json.at("/gateway/rows").asLong()).isEqualTo(2_000);
        assertThat(json.at("/upload/customers").asInt()).isEqualTo(200);
        assertThat(json.at("/upload/metric_rows").asLong()).isEqualTo(4_000);
        assertThat(json.at("/upload/warm_up/customers").asInt()).as("a warm-up upload of a tenth, at least 100").isEqualTo(100);
        for (String pipe : List.of("customer_activity", "customer_purchase_history", "customer_segmentation_suggestions",
                "customer_behavioral_analysis", "segment_customers", "segment_metrics")) {
            JsonNode p = json.at("/queries/pipes/" + pipe);
            assertThat(p.path("calls").asInt()).as(pipe).isEqualTo(5);
            for (String figure : List.of("pipe_p50_ms", "pipe_p99_ms", "raw_p50_ms", "raw_p99_ms", "ratio_p50")) {
                assertThat(p.path(figure).asDouble()).as(pipe + " " + figure).isPositive();
            }
        }
        assertThat(Files.readString(out.resolve("bench.md"))).contains("segment_metrics").contains("every score queryable, s after the 200");
    }
}
