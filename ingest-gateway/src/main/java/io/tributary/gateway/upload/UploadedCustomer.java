package io.tributary.gateway.upload;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * One validated customer of an upload: values are canonical text of their defined type, and only
 * keys that match a definition are kept.
 */
record UploadedCustomer(String externalId, String name, String ownerEmail, Map<String, String> attributes, List<Dated> metrics) {
    /** One item of the metrics array: its date and its defined metric values. */
    record Dated(LocalDate date, Map<String, String> values) {
    }
}
