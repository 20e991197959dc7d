package io.tributary.gateway.testing;

import io.tributary.schemas.registry.CompatibilityLevel;
import io.tributary.schemas.registry.RegisteredSchema;
import io.tributary.schemas.registry.SchemaRegistry;
import io.tributary.schemas.registry.SchemaRegistryException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * TEST FAKE: a minimal in-process {@link SchemaRegistry} (ids global and content-based, versions
 * per subject, every schema compatible). Stands in until the embedded registry is merged; then
 * the gateway's tests switch to that and this class goes.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {
    private final Map<Schema, Integer> idsBySchema = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, List<Integer>> idsBySubject = new TreeMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
    private int nextId;

    /** Ids start at {@code firstId}, so that tests can tell a real id from a zero or a default. */
    public InMemorySchemaRegistry(int firstId) {
        this.nextId = firstId;
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        int id = idsBySchema.computeIfAbsent(schema, s -> {
            schemasById.put(nextId, s);
            return nextId++;
        });
        List<Integer> versions = idsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
        return id;
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        return schema;
    }

    @Override
    public synchronized Optional<RegisteredSchema> lookup(String subject, Schema schema) {
        List<Integer> versions = idsBySubject.getOrDefault(subject, List.of());
        Integer id = idsBySchema.get(schema);
        if (id == null || !versions.contains(id)) {
            return Optional.empty();
        }
        return Optional.of(new RegisteredSchema(subject, versions.indexOf(id) + 1, id, schema));
    }

    @Override
    public synchronized List<String> subjects() {
        return List.copyOf(idsBySubject.keySet());
    }

    @Override
    public synchronized List<Integer> versions(String subject) {
        List<Integer> ids = subjectIds(subject);
        List<Integer> versions = new ArrayList<>();
        for (int v = 1; v <= ids.size(); v++) {
            versions.add(v);
        }
        return versions;
    }

    @Override
    public synchronized RegisteredSchema version(String subject, int version) {
        List<Integer> ids = subjectIds(subject);
        int v = version == -1 ? ids.size() : version;
        if (v < 1 || v > ids.size()) {
            throw new SchemaRegistryException(404, SchemaRegistryException.VERSION_NOT_FOUND, "Version " + version + " not found");
        }
        int id = ids.get(v - 1);
        return new RegisteredSchema(subject, v, id, schemasById.get(id));
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return true;
    }

    @Override
    public synchronized CompatibilityLevel globalCompatibility() {
        return globalLevel;
    }

    @Override
    public synchronized void setGlobalCompatibility(CompatibilityLevel level) {
        globalLevel = level;
    }

    @Override
    public synchronized Optional<CompatibilityLevel> subjectCompatibility(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    @Override
    public synchronized void setSubjectCompatibility(String subject, CompatibilityLevel level) {
        subjectLevels.put(subject, level);
    }

    private List<Integer> subjectIds(String subject) {
        List<Integer> ids = idsBySubject.get(subject);
        if (ids == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found");
        }
        return ids;
    }
}
