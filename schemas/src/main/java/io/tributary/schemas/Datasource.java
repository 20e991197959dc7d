package io.tributary.schemas;

import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;

/**
 * A datasource of the Events API: rows posted to {@code /v0/events?name=<name>} are validated
 * against {@code schema} and produced to {@code topic}, keyed by {@code workspace_id|<keyField>}.
 * Fields in {@code serverFields} are set by Tributary (a row may not supply them). An
 * {@link Mode#UPSERT} datasource holds entities: its topic is compacted and the latest row of a
 * key replaces the earlier ones. Fields in {@code otherApiFields} belong to another API writing the
 * same entity (e.g. the Fin X segments API's {@code criteria}): the Events API ignores them in a
 * row, as it ignores unknown keys, and leaves them null.
 */
public record Datasource(String name, String topic, Schema schema, String keyField, List<String> serverFields, Mode mode,
                         List<String> otherApiFields) {
    /** Facts appended forever (events), or entities replaced by key (profiles, segments). */
    public enum Mode { APPEND, UPSERT }

    public Datasource(String name, String topic, Schema schema, String keyField, List<String> serverFields, Mode mode) {
        this(name, topic, schema, keyField, serverFields, mode, List.of());
    }

    public Datasource {
        Objects.requireNonNull(mode);
        Objects.requireNonNull(name);
        Objects.requireNonNull(topic);
        Objects.requireNonNull(schema);
        Objects.requireNonNull(keyField);
        serverFields = List.copyOf(serverFields);
        otherApiFields = List.copyOf(otherApiFields);
        for (String f : otherApiFields) {
            Schema.Field field = schema.getField(f);
            if (field == null || !field.hasDefaultValue()) {
                throw new IllegalArgumentException("field " + f + " of another API must be in " + schema.getFullName() + " with a default");
            }
        }
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
