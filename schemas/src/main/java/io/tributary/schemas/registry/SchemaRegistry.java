package io.tributary.schemas.registry;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry API that Tributary uses. Implemented over HTTP by
 * {@link HttpSchemaRegistryClient} (Confluent, Karapace, Redpanda, Apicurio ccompat, and the
 * embedded registry) and in-process by the embedded registry itself.
 *
 * <p>Failures are {@link SchemaRegistryException}s carrying the Confluent error code
 * (40401 subject not found, 40402 version not found, 40403 schema not found, 409 incompatible,
 * 42201 invalid schema, 42202 invalid version, 42203 invalid compatibility level).
 */
public interface SchemaRegistry {

    /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
    int register(String subject, Schema schema);

    /** The schema with global id {@code id}. */
    Schema schemaById(int id);

    /** The registration of exactly this schema under the subject, if any. */
    Optional<RegisteredSchema> lookup(String subject, Schema schema);

    List<String> subjects();

    /** Version numbers of the subject, ascending. */
    List<Integer> versions(String subject);

    /** One version of the subject; {@code version} -1 means latest. */
    RegisteredSchema version(String subject, int version);

    /** Whether {@code schema} may be registered under {@code subject} given its compatibility level. */
    boolean isCompatible(String subject, Schema schema);

    CompatibilityLevel globalCompatibility();

    void setGlobalCompatibility(CompatibilityLevel level);

    /** The subject's own level, if one was set (else the global level applies). */
    Optional<CompatibilityLevel> subjectCompatibility(String subject);

    void setSubjectCompatibility(String subject, CompatibilityLevel level);
}
