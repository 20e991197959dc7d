package io.tributary.platform.registry;

import io.tributary.schemas.registry.CompatibilityLevel;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/** Confluent's compatibility levels decided by Avro's own {@link SchemaCompatibility} checker. */
final class AvroCompatibility {
    private AvroCompatibility() {
    }

    /**
     * Why {@code candidate} may not follow {@code previous} (oldest first) under {@code level};
     * empty when it may. Non-transitive levels look at the latest version only.
     */
    static List<String> problems(CompatibilityLevel level, Schema candidate, List<Schema> previous) {
        List<String> problems = new ArrayList<>();
        if (level == CompatibilityLevel.NONE || previous.isEmpty()) {
            return problems;
        }
        boolean transitive = level.name().endsWith("_TRANSITIVE");
        List<Schema> against = transitive ? previous : List.of(previous.get(previous.size() - 1));
        boolean backward = level != CompatibilityLevel.FORWARD && level != CompatibilityLevel.FORWARD_TRANSITIVE;
        boolean forward = level != CompatibilityLevel.BACKWARD && level != CompatibilityLevel.BACKWARD_TRANSITIVE;
        for (Schema existing : against) {
            if (backward) {
                check(candidate, existing, "new schema cannot read data written with an earlier one", problems);
            }
            if (forward) {
                check(existing, candidate, "an earlier schema cannot read data written with the new one", problems);
            }
        }
        return problems;
    }

    private static void check(Schema reader, Schema writer, String what, List<String> problems) {
        SchemaCompatibility.SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
            for (Incompatibility i : result.getResult().getIncompatibilities()) {
                problems.add(what + ": " + i.getType() + " at " + i.getLocation() + ": " + i.getMessage());
            }
        }
    }
}
