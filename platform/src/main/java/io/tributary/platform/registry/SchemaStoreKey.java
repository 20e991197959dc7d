package io.tributary.platform.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * Key of a record in the registry's compacted topic, shaped like Confluent's own:
 * {@code {"keytype":"SCHEMA","subject":"s","version":1,"magic":1}} for a subject's version,
 * {@code {"keytype":"CONFIG","subject":"s","magic":0}} for a subject's compatibility level and
 * {@code {"keytype":"CONFIG","magic":0}} for the global one. Compaction keeps the newest record per
 * key bytes, so the field order is fixed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"keytype", "subject", "version", "magic"})
record SchemaStoreKey(String keytype, String subject, Integer version, int magic) {
    static final String SCHEMA = "SCHEMA";
    static final String CONFIG = "CONFIG";

    SchemaStoreKey {
        Objects.requireNonNull(keytype, "keytype");
    }

    static SchemaStoreKey schema(String subject, int version) {
        return new SchemaStoreKey(SCHEMA, Objects.requireNonNull(subject), version, 1);
    }

    static SchemaStoreKey subjectConfig(String subject) {
        return new SchemaStoreKey(CONFIG, Objects.requireNonNull(subject), null, 0);
    }

    static SchemaStoreKey globalConfig() {
        return new SchemaStoreKey(CONFIG, null, null, 0);
    }

    boolean isSchema() {
        return SCHEMA.equals(keytype) && subject != null && version != null;
    }

    boolean isConfig() {
        return CONFIG.equals(keytype);
    }
}
