package io.tributary.platform.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Value of a record in the registry's topic: {@code {"subject","version","id","schema"}} under a
 * SCHEMA key, {@code {"compatibilityLevel"}} under a CONFIG key (the layout Confluent uses).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"subject", "version", "id", "schema", "compatibilityLevel"})
record SchemaStoreValue(String subject, Integer version, Integer id, String schema, String compatibilityLevel) {

    static SchemaStoreValue schema(String subject, int version, int id, String schema) {
        return new SchemaStoreValue(subject, version, id, schema, null);
    }

    static SchemaStoreValue config(String compatibilityLevel) {
        return new SchemaStoreValue(null, null, null, null, compatibilityLevel);
    }
}
