package io.tributary.gateway.upload;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.CustomerMetrics;
import io.tributary.schemas.avro.DatedMetrics;
import io.tributary.schemas.registry.InMemorySchemaRegistry;
import io.tributary.schemas.serde.AvroDeserializer;
import io.tributary.schemas.serde.AvroSerializer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The upload's spliced records are the bytes AvroSerializer writes for the same record, and read back as it. */
class EncodedMetricsTest {

    @Test
    void splicedRecordsAreTheSerializersBytes() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry(7);
        AvroSerializer<CustomerMetrics> serializer = new AvroSerializer<>(registry, false);
        int id = serializer.schemaId(Topics.CUSTOMER_METRICS, EncodedMetrics.SCHEMA);
        EncodedMetrics encoding = new EncodedMetrics();
        for (int n : new int[] {0, 1, 200}) {
            List<UploadedCustomer.Dated> dated = new ArrayList<>();
            List<DatedMetrics> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Map<String, String> values = new LinkedHashMap<>();
                values.put("logins", Integer.toString(i * 7));
                values.put("tickets", (i % 30) + ".5");
                if (i % 3 == 0) {
                    values.put("promoter", Boolean.toString(i % 2 == 0));
                }
                LocalDate date = LocalDate.of(2024, 1, 1).plusDays(i);
                dated.add(new UploadedCustomer.Dated(date, values));
                expected.add(DatedMetrics.newBuilder().setMetricDate(date).setValues(new HashMap<>(values)).build());
            }
            byte[] metrics = encoding.encode(dated);
            CustomerMetrics.Builder record = CustomerMetrics.newBuilder().setWorkspaceId("ws").setExternalId("c-" + n).setName("Customer " + n)
                    .setOwnerEmail(n == 1 ? null : "owner@example.com").setAttributes(new HashMap<>(Map.of("seats", "12", "plan", "gold")))
                    .setUploadId("upl_1").setUploadSize(10_000 + n).setUploadedAt(Instant.ofEpochMilli(1_733_000_000_123L));

            byte[] spliced = encoding.serialize(id, record.setMetrics(List.of()).build(), metrics);
            CustomerMetrics full = record.setMetrics(expected).build();
            assertThat(spliced).as(n + " dates").isEqualTo(serializer.serialize(Topics.CUSTOMER_METRICS, full));
            assertThat(AvroDeserializer.specific(registry, CustomerMetrics.class).deserialize(Topics.CUSTOMER_METRICS, spliced)).isEqualTo(full);
        }
    }
}
