package io.tributary.platform.registry;

import io.tributary.platform.kafka.CompactedTopicTable;
import io.tributary.platform.kafka.JsonSerde;
import io.tributary.platform.kafka.KafkaClients;
import io.tributary.schemas.Topics;
import io.tributary.schemas.registry.CompatibilityLevel;
import io.tributary.schemas.registry.RegisteredSchema;
import io.tributary.schemas.registry.SchemaRegistry;
import io.tributary.schemas.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema registry of the embedded default (DESIGN.md §3): Confluent semantics, state in a
 * compacted topic ({@link Topics#SCHEMAS}), so a restart on the same broker log answers the same
 * ids and versions.
 *
 * <p>Ids are global and increasing; one schema (by its parsed form, {@link Schema#toString()})
 * has one id under every subject; registering a schema a subject already has returns its id
 * without a new version. Compatibility is checked with Avro's own checker against the latest
 * version, or all versions for the *_TRANSITIVE levels; the default global level is BACKWARD.
 *
 * <p>Single node: writes are serialized by a lock, and each write first reads the topic to its
 * end. Reads are answered from an in-memory index that the topic's change listener maintains.
 */
public final class EmbeddedSchemaRegistry implements SchemaRegistry, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
    public static final CompatibilityLevel DEFAULT_COMPATIBILITY = CompatibilityLevel.BACKWARD;
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** One version of a subject with its schema text, the identity of a schema here. */
    private record Version(RegisteredSchema registered, String text) {
    }

    private final CompactedTopicTable<SchemaStoreKey, SchemaStoreValue> table;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Integer> idsByText = new ConcurrentHashMap<>();
    private final Map<String, NavigableMap<Integer, Version>> subjects = new ConcurrentHashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new ConcurrentHashMap<>();
    private volatile CompatibilityLevel globalLevel = DEFAULT_COMPATIBILITY;
    private volatile int maxId;

    private EmbeddedSchemaRegistry(CompactedTopicTable<SchemaStoreKey, SchemaStoreValue> table) {
        this.table = table;
    }

    /** The registry over {@link Topics#SCHEMAS}, loaded before this returns. */
    public static EmbeddedSchemaRegistry start(KafkaClients clients, short replicationFactor) {
        return start(clients, Topics.SCHEMAS, replicationFactor, DEFAULT_TIMEOUT);
    }

    /** The registry over {@code topic} (created compacted if missing), loaded before this returns. */
    public static EmbeddedSchemaRegistry start(KafkaClients clients, String topic, short replicationFactor, Duration timeout) {
        CompactedTopicTable<SchemaStoreKey, SchemaStoreValue> table = new CompactedTopicTable<>(clients, topic, replicationFactor,
                new JsonSerde<>(SchemaStoreKey.class), new JsonSerde<>(SchemaStoreValue.class), timeout);
        EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(table);
        table.addListener(registry::apply);
        table.start();
        LOG.info("embedded schema registry ready on topic {}: {} subjects, highest id {}", topic, registry.subjects.size(), registry.maxId);
        return registry;
    }

    @Override
    public int register(String subject, Schema schema) {
        requireSubject(subject);
        String text = schema.toString();
        return write(() -> {
            NavigableMap<Integer, Version> versions = subjects.getOrDefault(subject, new ConcurrentSkipListMap<>());
            for (Version v : versions.values()) {
                if (v.text().equals(text)) {
                    return v.registered().id();
                }
            }
            List<String> problems = AvroCompatibility.problems(effectiveLevel(subject), schema, schemasOf(versions));
            if (!problems.isEmpty()) {
                throw new SchemaRegistryException(409, SchemaRegistryException.INCOMPATIBLE,
                        "Schema being registered is incompatible with an earlier schema for subject \"" + subject
                                + "\" (" + effectiveLevel(subject) + "): " + String.join("; ", problems));
            }
            int id = idsByText.getOrDefault(text, maxId + 1);
            int version = versions.isEmpty() ? 1 : versions.lastKey() + 1;
            table.put(SchemaStoreKey.schema(subject, version), SchemaStoreValue.schema(subject, version, id, text));
            LOG.debug("registered {} version {} with id {}", subject, version, id);
            return id;
        });
    }

    @Override
    public Schema schemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        return schema;
    }

    @Override
    public Optional<RegisteredSchema> lookup(String subject, Schema schema) {
        String text = schema.toString();
        return subjects.getOrDefault(subject, new ConcurrentSkipListMap<>()).values().stream()
                .filter(v -> v.text().equals(text))
                .map(Version::registered)
                .findFirst();
    }

    @Override
    public List<String> subjects() {
        return subjects.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).sorted().toList();
    }

    @Override
    public List<Integer> versions(String subject) {
        return List.copyOf(existingVersions(subject).keySet());
    }

    @Override
    public RegisteredSchema version(String subject, int version) {
        if (version != -1 && version < 1) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_VERSION,
                    "The specified version '" + version + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
        }
        NavigableMap<Integer, Version> versions = existingVersions(subject);
        Map.Entry<Integer, Version> latest = versions.lastEntry();
        Version found = version != -1 ? versions.get(version) : latest == null ? null : latest.getValue();
        if (found == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.VERSION_NOT_FOUND, "Version " + version + " not found.");
        }
        return found.registered();
    }

    /** A subject without versions accepts any schema. */
    @Override
    public boolean isCompatible(String subject, Schema schema) {
        NavigableMap<Integer, Version> versions = subjects.getOrDefault(subject, new ConcurrentSkipListMap<>());
        return AvroCompatibility.problems(effectiveLevel(subject), schema, schemasOf(versions)).isEmpty();
    }

    @Override
    public CompatibilityLevel globalCompatibility() {
        return globalLevel;
    }

    @Override
    public void setGlobalCompatibility(CompatibilityLevel level) {
        Objects.requireNonNull(level);
        write(() -> {
            table.put(SchemaStoreKey.globalConfig(), SchemaStoreValue.config(level.name()));
            return null;
        });
    }

    @Override
    public Optional<CompatibilityLevel> subjectCompatibility(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    @Override
    public void setSubjectCompatibility(String subject, CompatibilityLevel level) {
        requireSubject(subject);
        Objects.requireNonNull(level);
        write(() -> {
            table.put(SchemaStoreKey.subjectConfig(subject), SchemaStoreValue.config(level.name()));
            return null;
        });
    }

    @Override
    public void close() {
        table.close();
    }

    private <T> T write(Supplier<T> operation) {
        writeLock.lock();
        try {
            table.readToEnd(); // another process may have written since we last looked
            return operation.get();
        } catch (KafkaException e) {
            throw new SchemaRegistryException(500, SchemaRegistryException.UNAVAILABLE,
                    "Error in the schema store (topic " + table.topic() + "): " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    private CompatibilityLevel effectiveLevel(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    private NavigableMap<Integer, Version> existingVersions(String subject) {
        NavigableMap<Integer, Version> versions = subjects.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
        }
        return versions;
    }

    private static List<Schema> schemasOf(NavigableMap<Integer, Version> versions) {
        List<Schema> schemas = new ArrayList<>(versions.size());
        versions.values().forEach(v -> schemas.add(v.registered().schema()));
        return schemas;
    }

    private static void requireSubject(String subject) {
        if (subject == null || subject.isBlank()) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA, "subject must not be blank");
        }
    }

    /** Keeps the index in step with the topic; runs on the table's thread, in offset order. */
    private void apply(CompactedTopicTable.Change<SchemaStoreKey, SchemaStoreValue> change) {
        SchemaStoreKey key = change.key();
        if (key.isSchema()) {
            applySchema(key, change.current());
        } else if (key.isConfig()) {
            applyConfig(key, change.current());
        } else {
            LOG.debug("ignoring record with key type {}", key.keytype());
        }
    }

    private void applySchema(SchemaStoreKey key, Optional<SchemaStoreValue> current) {
        if (current.isEmpty()) {
            NavigableMap<Integer, Version> versions = subjects.get(key.subject());
            if (versions != null) {
                versions.remove(key.version()); // ids stay resolvable: records written with them still exist
            }
            return;
        }
        SchemaStoreValue value = current.get();
        if (value.id() == null || value.schema() == null) {
            LOG.warn("ignoring incomplete schema record for {} version {}", key.subject(), key.version());
            return;
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(value.schema());
        } catch (SchemaParseException e) {
            LOG.warn("ignoring unparseable schema of {} version {}: {}", key.subject(), key.version(), e.getMessage());
            return;
        }
        int id = value.id();
        Schema known = schemasById.putIfAbsent(id, schema);
        Schema canonical = known != null ? known : schema;
        idsByText.putIfAbsent(schema.toString(), id);
        subjects.computeIfAbsent(key.subject(), s -> new ConcurrentSkipListMap<>())
                .put(key.version(), new Version(new RegisteredSchema(key.subject(), key.version(), id, canonical), schema.toString()));
        if (id > maxId) {
            maxId = id;
        }
    }

    private void applyConfig(SchemaStoreKey key, Optional<SchemaStoreValue> current) {
        Optional<CompatibilityLevel> level;
        try {
            level = current.map(SchemaStoreValue::compatibilityLevel).map(CompatibilityLevel::parse);
        } catch (SchemaRegistryException e) {
            LOG.warn("ignoring config record with an unknown level: {}", current);
            return;
        }
        if (key.subject() == null) {
            globalLevel = level.orElse(DEFAULT_COMPATIBILITY);
        } else if (level.isPresent()) {
            subjectLevels.put(key.subject(), level.get());
        } else {
            subjectLevels.remove(key.subject());
        }
    }
}
