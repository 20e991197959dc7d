package io.tributary.platform.testing;

import io.tributary.schemas.registry.CompatibilityLevel;
import io.tributary.schemas.registry.RegisteredSchema;
import io.tributary.schemas.registry.SchemaRegistry;
import io.tributary.schemas.registry.SchemaRegistryException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;

/** A schema registry in a map, for unit tests without a broker (TopologyTestDriver). No compatibility checks. */
public final class InMemorySchemaRegistry implements SchemaRegistry {
    private final Map<Schema, Integer> ids = new LinkedHashMap<>();
    private final Map<Integer, Schema> byId = new LinkedHashMap<>();
    private final Map<String, List<Schema>> subjects = new LinkedHashMap<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
        int id = ids.computeIfAbsent(schema, s -> {
            int next = ids.size() + 1;
            byId.put(next, s);
            return next;
        });
        List<Schema> versions = subjects.computeIfAbsent(subject, k -> new ArrayList<>());
        if (!versions.contains(schema)) {
            versions.add(schema);
        }
        return id;
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema s = byId.get(id);
        if (s == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        return s;
    }

    @Override
    public synchronized Optional<RegisteredSchema> lookup(String subject, Schema schema) {
        List<Schema> versions = subjects.getOrDefault(subject, List.of());
        int i = versions.indexOf(schema);
        return i < 0 ? Optional.empty() : Optional.of(new RegisteredSchema(subject, i + 1, ids.get(schema), schema));
    }

    @Override
    public synchronized List<String> subjects() {
        return List.copyOf(subjects.keySet());
    }

    @Override
    public synchronized List<Integer> versions(String subject) {
        int n = subjects.getOrDefault(subject, List.of()).size();
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(i);
        }
        return out;
    }

    @Override
    public synchronized RegisteredSchema version(String subject, int version) {
        List<Schema> versions = subjects.get(subject);
        if (versions == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject " + subject + " not found");
        }
        int v = version == -1 ? versions.size() : version;
        if (v < 1 || v > versions.size()) {
            throw new SchemaRegistryException(404, SchemaRegistryException.VERSION_NOT_FOUND, "Version " + version + " not found");
        }
        Schema s = versions.get(v - 1);
        return new RegisteredSchema(subject, v, ids.get(s), s);
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return true;
    }

    @Override
    public CompatibilityLevel globalCompatibility() {
        return CompatibilityLevel.NONE;
    }

    @Override
    public void setGlobalCompatibility(CompatibilityLevel level) {
        throw new UnsupportedOperationException("in-memory test registry has no compatibility levels");
    }

    @Override
    public Optional<CompatibilityLevel> subjectCompatibility(String subject) {
        return Optional.empty();
    }

    @Override
    public void setSubjectCompatibility(String subject, CompatibilityLevel level) {
        throw new UnsupportedOperationException("in-memory test registry has no compatibility levels");
    }
}
