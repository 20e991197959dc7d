package io.tributary.platform.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.schemas.avro.CustomerMetrics;
import io.tributary.schemas.avro.DatedMetrics;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A customer's upload becomes one customer_metrics row per dated item: the item's columns from the item, the rest from the record or given. */
class AvroRowsExplodeTest {

    @Test
    void oneRowPerDatedItemWithTheRecordsAndTheGivenColumns() {
        Instant at = Instant.parse("2024-05-01T10:00:00Z");
        CustomerMetrics record = CustomerMetrics.newBuilder().setWorkspaceId("ws").setExternalId("c-1").setName("One")
                .setAttributes(new HashMap<>(Map.of("seats", "3")))
                .setMetrics(List.of(
                        DatedMetrics.newBuilder().setMetricDate(LocalDate.of(2024, 4, 29)).setValues(new HashMap<>(Map.of("tickets", "2", "logins", "7"))).build(),
                        DatedMetrics.newBuilder().setMetricDate(LocalDate.of(2024, 4, 30)).setValues(new HashMap<>()).build(),
                        DatedMetrics.newBuilder().setMetricDate(LocalDate.of(2024, 5, 1)).setValues(new HashMap<>(Map.of("promoter", "true"))).build()))
                .setUploadId("upl_1").setUploadSize(1).setUploadedAt(at).build();

        List<Object[]> rows = AvroRows.toExplodedRows(StoreTables.CUSTOMER_METRICS, record, "metrics", Map.of("version", 42L));

        assertThat(StoreTables.CUSTOMER_METRICS.columns().stream().map(StoreColumn::name))
                .containsExactly("workspace_id", "external_id", "metric_date", "values_keys", "values_values", "upload_id", "uploaded_at", "version");
        assertThat(rows).hasSize(3);
        assertThat(Arrays.asList(rows.get(0))).containsExactly("ws", "c-1", LocalDate.of(2024, 4, 29), List.of("logins", "tickets"), List.of("7", "2"),
                "upl_1", at, 42L);
        assertThat(Arrays.asList(rows.get(1))).containsExactly("ws", "c-1", LocalDate.of(2024, 4, 30), List.of(), List.of(), "upl_1", at, 42L);
        assertThat(Arrays.asList(rows.get(2))).containsExactly("ws", "c-1", LocalDate.of(2024, 5, 1), List.of("promoter"), List.of("true"),
                "upl_1", at, 42L);
        assertThat(WriteBatch.of(StoreTables.CUSTOMER_METRICS, rows).rows()).hasSize(3);
        assertThat(AvroRows.toExplodedRows(StoreTables.CUSTOMER_METRICS, CustomerMetrics.newBuilder(record).setMetrics(List.of()).build(), "metrics",
                Map.of("version", 43L))).isEmpty();
    }
}
