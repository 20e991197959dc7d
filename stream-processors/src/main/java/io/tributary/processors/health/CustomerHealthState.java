package io.tributary.processors.health;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the scorer keeps of a customer: the latest dated value of each metric across its uploads,
 * its attributes, name and owner, its last score, and — until it is scored — the uploads waiting
 * for its score ({@code dirty}: a change not scored yet, persisted so that a restart still scores it).
 */
public record CustomerHealthState(String name, String ownerEmail, Map<String, DatedValue> metrics, Map<String, String> attributes,
                                  Double score, boolean dirty, List<String> pendingUploads) {
    public CustomerHealthState {
        metrics = metrics == null ? Map.of() : metrics;
        attributes = attributes == null ? Map.of() : attributes;
        pendingUploads = pendingUploads == null ? List.of() : List.copyOf(pendingUploads);
    }

    static CustomerHealthState empty() {
        return new CustomerHealthState(null, null, Map.of(), Map.of(), null, false, List.of());
    }

    /** This state with an upload merged in: a metric's value is replaced by one of the same or a later date. */
    CustomerHealthState merge(UploadedCustomer upload) {
        Map<String, DatedValue> nextMetrics = new HashMap<>(metrics);
        upload.metrics().forEach((codename, value) -> nextMetrics.merge(codename, value, (a, b) -> b.epochDay() >= a.epochDay() ? b : a));
        Map<String, String> nextAttributes = new HashMap<>(attributes);
        nextAttributes.putAll(upload.attributes());
        List<String> pending = new java.util.ArrayList<>(pendingUploads);
        if (!pending.contains(upload.uploadId())) {
            pending.add(upload.uploadId());
        }
        return new CustomerHealthState(upload.name(), upload.ownerEmail() != null ? upload.ownerEmail() : ownerEmail,
                nextMetrics, nextAttributes, score, true, pending);
    }

    CustomerHealthState markDirty() {
        return new CustomerHealthState(name, ownerEmail, metrics, attributes, score, true, pendingUploads);
    }

    CustomerHealthState scored(Double newScore) {
        return new CustomerHealthState(name, ownerEmail, metrics, attributes, newScore, false, List.of());
    }
}
