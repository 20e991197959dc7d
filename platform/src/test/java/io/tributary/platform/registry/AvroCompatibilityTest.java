package io.tributary.platform.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.schemas.registry.CompatibilityLevel;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class AvroCompatibilityTest {
    private static final Schema V1 = ContractRecords.v1("R");
    private static final Schema OPTIONAL_EMAIL = ContractRecords.v2WithOptionalField("R");
    private static final Schema REQUIRED_TIER = ContractRecords.v2WithRequiredField("R");
    private static final Schema INT_ID = ContractRecords.v2WithChangedType("R");
    /** Makes OPTIONAL_EMAIL's field required: reads OPTIONAL_EMAIL data, not V1 data. */
    private static final Schema REQUIRED_EMAIL = Schema.createRecord("R", null, "io.tributary.contract", false, List.of(
            new Schema.Field("id", Schema.create(Schema.Type.STRING)),
            new Schema.Field("email", OPTIONAL_EMAIL.getField("email").schema())));

    @Test
    void backwardMeansTheNewSchemaReadsOldData() {
        assertThat(AvroCompatibility.problems(CompatibilityLevel.BACKWARD, OPTIONAL_EMAIL, List.of(V1))).isEmpty();
        assertThat(AvroCompatibility.problems(CompatibilityLevel.BACKWARD, REQUIRED_TIER, List.of(V1)))
                .singleElement().asString().contains("new schema cannot read").contains("tier");
    }

    @Test
    void forwardMeansOldSchemasReadNewData() {
        assertThat(AvroCompatibility.problems(CompatibilityLevel.FORWARD, REQUIRED_TIER, List.of(V1))).isEmpty();
        assertThat(AvroCompatibility.problems(CompatibilityLevel.FORWARD, V1, List.of(REQUIRED_TIER)))
                .singleElement().asString().contains("earlier schema cannot read");
    }

    @Test
    void fullMeansBoth() {
        assertThat(AvroCompatibility.problems(CompatibilityLevel.FULL, OPTIONAL_EMAIL, List.of(V1))).isEmpty();
        assertThat(AvroCompatibility.problems(CompatibilityLevel.FULL, REQUIRED_TIER, List.of(V1))).hasSize(1);
        assertThat(AvroCompatibility.problems(CompatibilityLevel.FULL, INT_ID, List.of(V1))).hasSize(2);
    }

    @Test
    void nonTransitiveLevelsLookAtTheLatestVersionOnly() {
        List<Schema> history = List.of(V1, OPTIONAL_EMAIL);

        assertThat(AvroCompatibility.problems(CompatibilityLevel.BACKWARD, REQUIRED_EMAIL, history)).isEmpty();
        assertThat(AvroCompatibility.problems(CompatibilityLevel.BACKWARD_TRANSITIVE, REQUIRED_EMAIL, history))
                .singleElement().asString().contains("email");
        assertThat(AvroCompatibility.problems(CompatibilityLevel.FULL_TRANSITIVE, REQUIRED_EMAIL, history)).isNotEmpty();
        assertThat(AvroCompatibility.problems(CompatibilityLevel.FORWARD_TRANSITIVE, REQUIRED_EMAIL, history)).isEmpty();
    }

    @Test
    void noneAndAFirstVersionAcceptAnything() {
        assertThat(AvroCompatibility.problems(CompatibilityLevel.NONE, INT_ID, List.of(V1))).isEmpty();
        assertThat(AvroCompatibility.problems(CompatibilityLevel.FULL_TRANSITIVE, INT_ID, List.of())).isEmpty();
    }
}
