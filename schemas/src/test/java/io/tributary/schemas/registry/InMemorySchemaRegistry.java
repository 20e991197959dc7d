package io.tributary.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * A registry fake for pure unit tests of the serde: ids from {@code firstId} upwards, one id per
 * distinct schema text, versions per subject. It checks no compatibility; the real registries
 * are tested by the contract suite in the platform module.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {
    private final Map<String, Integer> idsBySchemaText = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, List<Integer>> idsBySubject = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
    private int nextId;
    private int registerCalls;

    public InMemorySchemaRegistry(int firstId) {
        this.nextId = firstId;
    }

    /** How often {@link #register} was called, to see the serializer's cache at work. */
    public synchronized int registerCalls() {
        return registerCalls;
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        registerCalls++;
        int id = idsBySchemaText.computeIfAbsent(schema.toString(), text -> {
            schemasById.put(nextId, schema);
            return nextId++;
        });
        List<Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!ids.contains(id)) {
            ids.add(id);
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
        List<Integer> ids = idsBySubject.getOrDefault(subject, List.of());
        Integer id = idsBySchemaText.get(schema.toString());
        if (id == null || !ids.contains(id)) {
            return Optional.empty();
        }
        return Optional.of(new RegisteredSchema(subject, ids.indexOf(id) + 1, id, schemasById.get(id)));
    }

    @Override
    public synchronized List<String> subjects() {
        return List.copyOf(idsBySubject.keySet());
    }

    @Override
    public synchronized List<Integer> versions(String subject) {
        List<Integer> versions = new ArrayList<>();
        for (int v = 1; v <= ids(subject).size(); v++) {
            versions.add(v);
        }
        return versions;
    }

    @Override
    public synchronized RegisteredSchema version(String subject, int version) {
        List<Integer> ids = ids(subject);
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

    private List<Integer> ids(String subject) {
        List<Integer> ids = idsBySubject.get(subject);
        if (ids == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found");
        }
        return ids;
    }
}
