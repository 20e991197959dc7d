package io.tributary.schemas.avro;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * Guards the published schemas: every .avsc under src/main/avro must equal its newest version in
 * src/test/resources/schema-history and read data written with every older one. The guard's own
 * tests below prove it catches breaking changes, so it cannot pass by accident.
 */
class SchemaEvolutionTest {
    private static final Schema OPTIONAL_STRING = Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING));

    @Test
    void everyCurrentSchemaIsItsNewestPublishedVersionAndReadsAllEarlierOnes() throws IOException {
        List<Path> avscFiles = currentSchemaFiles();
        assertThat(avscFiles).as("schemas under src/main/avro").isNotEmpty();
        List<String> problems = new ArrayList<>();
        for (Path file : avscFiles) {
            Schema current = SchemaHistory.parse(file);
            problems.addAll(SchemaHistory.load(historyRoot(), current.getName()).problems(current));
        }
        assertThat(problems).as("schema evolution problems (see schemas/README.md)").isEmpty();
    }

    @Test
    void theGeneratedClassesAreBuiltFromTheCheckedFiles() throws IOException {
        // The history check reads the .avsc files; this ties them to what the code actually uses.
        assertThat(currentSchemaFiles()).extracting(f -> SchemaHistory.parse(f).getFullName())
                .contains(CustomerEvent.getClassSchema().getFullName(), QuarantineRecord.getClassSchema().getFullName(),
                        CustomerStats.getClassSchema().getFullName());
    }

    @Test
    void guardRejectsANewFieldWithoutDefault() {
        Schema breaking = withExtraField(v1(), new Schema.Field("loyalty_tier", Schema.create(Schema.Type.STRING), null, (Object) null));
        SchemaHistory history = history(v1(), breaking);

        assertThat(history.problems(breaking)).singleElement().asString()
                .contains("cannot read data written with v1").contains("loyalty_tier");
    }

    @Test
    void guardRejectsAChangedFieldType() {
        Schema v1 = v1();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : v1.getFields()) {
            fields.add(f.name().equals("event_type")
                    ? new Schema.Field(f.name(), Schema.create(Schema.Type.INT), f.doc(), (Object) null)
                    : new Schema.Field(f, f.schema()));
        }
        Schema breaking = Schema.createRecord(v1.getName(), v1.getDoc(), v1.getNamespace(), false, fields);
        SchemaHistory history = history(v1, breaking);

        assertThat(history.problems(breaking)).singleElement().asString()
                .contains("cannot read data written with v1").contains("event_type");
    }

    @Test
    void guardRequiresAPublishedVersionForEveryChange() {
        Schema compatibleButUnpublished = withExtraField(v1(), new Schema.Field("campaign_id", OPTIONAL_STRING, null, Schema.Field.NULL_DEFAULT_VALUE));

        assertThat(history(v1()).problems(compatibleButUnpublished)).singleElement().asString()
                .contains("differs from its newest published version v1").contains("v2.avsc");
        assertThat(history(v1(), compatibleButUnpublished).problems(compatibleButUnpublished)).isEmpty();
    }

    @Test
    void guardChecksEveryEarlierVersionNotJustTheLatest() {
        // v2 adds an optional field; v3 makes it required: v3 reads v2 data but not v1 data.
        Schema v2 = withExtraField(v1(), new Schema.Field("campaign_id", OPTIONAL_STRING, null, Schema.Field.NULL_DEFAULT_VALUE));
        Schema v3 = withExtraField(v1(), new Schema.Field("campaign_id", OPTIONAL_STRING, null, (Object) null));

        assertThat(history(v1(), v2, v3).problems(v3)).singleElement().asString()
                .contains("cannot read data written with v1");
    }

    @Test
    void guardRejectsGapsInVersionNumbers() {
        SchemaHistory gap = new SchemaHistory("CustomerEvent",
                List.of(new SchemaHistory.Version(1, v1()), new SchemaHistory.Version(3, v1())));

        assertThat(gap.problems(v1())).singleElement().asString().contains("without gaps");
    }

    @Test
    void guardRejectsASchemaWithoutHistory() {
        assertThat(new SchemaHistory("Brand new", List.of()).problems(v1())).singleElement().asString()
                .contains("no published versions");
    }

    private static Schema v1() {
        return SchemaHistory.parse(historyRoot().resolve("CustomerEvent/v1.avsc"));
    }

    private static SchemaHistory history(Schema... versions) {
        List<SchemaHistory.Version> list = new ArrayList<>();
        for (int i = 0; i < versions.length; i++) {
            list.add(new SchemaHistory.Version(i + 1, versions[i]));
        }
        return new SchemaHistory("CustomerEvent", list);
    }

    private static Schema withExtraField(Schema base, Schema.Field extra) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : base.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(extra);
        return Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false, fields);
    }

    private static List<Path> currentSchemaFiles() throws IOException {
        Path dir = Path.of(System.getProperty("basedir", "."), "src", "main", "avro");
        assertThat(dir).as("schema sources (run from the schemas module)").isDirectory();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".avsc")).sorted().toList();
        }
    }

    private static Path historyRoot() {
        try {
            return Path.of(Objects.requireNonNull(SchemaEvolutionTest.class.getResource("/schema-history"),
                    "schema-history missing from test resources").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
