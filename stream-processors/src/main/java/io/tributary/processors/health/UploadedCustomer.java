package io.tributary.processors.health;

import io.tributary.schemas.avro.CustomerMetrics;
import io.tributary.schemas.avro.DatedMetrics;
import java.util.HashMap;
import java.util.Map;

/**
 * What scoring needs of one uploaded customer: its latest value of each metric in the upload (by
 * date), its attributes, name and owner, and the upload it came in. Small, so that re-keying by
 * workspace does not copy the upload's dated rows.
 */
public record UploadedCustomer(String externalId, String name, String ownerEmail, Map<String, DatedValue> metrics,
                               Map<String, String> attributes, String uploadId, int uploadSize) {

    public static UploadedCustomer of(CustomerMetrics upload) {
        Map<String, DatedValue> latest = new HashMap<>();
        for (DatedMetrics row : upload.getMetrics()) {
            int day = (int) row.getMetricDate().toEpochDay();
            row.getValues().forEach((codename, value) -> latest.merge(codename.toString(), new DatedValue(day, value.toString()),
                    (a, b) -> b.epochDay() >= a.epochDay() ? b : a));
        }
        Map<String, String> attributes = new HashMap<>();
        upload.getAttributes().forEach((k, v) -> attributes.put(k.toString(), v.toString()));
        return new UploadedCustomer(upload.getExternalId(), upload.getName(), upload.getOwnerEmail(), latest, attributes,
                upload.getUploadId(), upload.getUploadSize());
    }
}
