package io.tributary.schemas;

import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;

/**
 * A datasource of the Events API: rows posted to {@code /v0/events?name=<name>} are validated
 * against {@code schema} and produced to {@code topic}, keyed by {@code workspace_id|<keyField>}.
 * Fields in {@code serverFields} are set by Tributary (a row may not supply them).
 */
public record Datasource(String name, String topic, Schema schema, String keyField, List<String> serverFields) {
    public Datasource {
        Objects.requireNonNull(name);
        Objects.requireNonNull(topic);
        Objects.requireNonNull(schema);
        Objects.requireNonNull(keyField);
        serverFields = List.copyOf(serverFields);
        if (schema.getField(keyField) == null) {
            throw new IllegalArgumentException("key field " + keyField + " is not in " + schema.getFullName());
        }
        for (String f : serverFields) {
            if (schema.getField(f) == null) {
                throw new IllegalArgumentException("server field " + f + " is not in " + schema.getFullName());
            }
        }
    }
}
