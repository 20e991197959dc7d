package io.tributary.schemas.registry;

/** Confluent compatibility levels. */
public enum CompatibilityLevel {
    NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE;

    public static CompatibilityLevel parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (RuntimeException e) {
            throw new SchemaRegistryException(422, 42203, "Invalid compatibility level: " + value);
        }
    }
}
