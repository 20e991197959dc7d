package io.tributary.schemas.avro;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * The published versions of one record schema, {@code schema-history/<RecordName>/v<N>.avsc},
 * and the rules a current schema must keep towards them: equal to the newest version (so every
 * change adds a version), and able to read data written with every version (BACKWARD_TRANSITIVE,
 * the guarantee the registry gives consumers).
 */
record SchemaHistory(String recordName, List<Version> versions) {
    private static final Pattern VERSION_FILE = Pattern.compile("v(\\d+)\\.avsc");

    record Version(int number, Schema schema) {
    }

    SchemaHistory {
        versions = List.copyOf(versions);
    }

    static SchemaHistory load(Path historyRoot, String recordName) {
        Path dir = historyRoot.resolve(recordName);
        List<Version> versions = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Matcher m = VERSION_FILE.matcher(file.getFileName().toString());
                    if (m.matches()) {
                        versions.add(new Version(Integer.parseInt(m.group(1)), parse(file)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        versions.sort(Comparator.comparingInt(Version::number));
        return new SchemaHistory(recordName, versions);
    }

    private static String describe(Schema reader, List<SchemaCompatibility.Incompatibility> incompatibilities) {
        List<String> lines = new ArrayList<>();
        for (SchemaCompatibility.Incompatibility i : incompatibilities) {
            lines.add(i.getType() + " at " + i.getLocation() + fieldName(reader, i.getLocation()) + ": " + i.getMessage());
        }
        return String.join("; ", lines);
    }

    /** The top-level field a location like /fields/3/type points at, as " (field x)". */
    private static String fieldName(Schema reader, String location) {
        Matcher m = Pattern.compile("^/fields/(\\d+)").matcher(location);
        if (m.find() && reader.getType() == Schema.Type.RECORD) {
            int pos = Integer.parseInt(m.group(1));
            if (pos < reader.getFields().size()) {
                return " (field " + reader.getFields().get(pos).name() + ")";
            }
        }
        return "";
    }

    static Schema parse(Path avsc) {
        try {
            return new Schema.Parser().parse(avsc.toFile()); // one parser per file: versions share names
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What is wrong with {@code current} given this history; empty when nothing is. */
    List<String> problems(Schema current) {
        List<String> problems = new ArrayList<>();
        if (versions.isEmpty()) {
            problems.add(recordName + ": no published versions; add schema-history/" + recordName + "/v1.avsc");
            return problems;
        }
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i).number() != i + 1) {
                problems.add(recordName + ": versions must be v1..vN without gaps, found v" + versions.get(i).number() + " at position " + (i + 1));
            }
        }
        Version newest = versions.get(versions.size() - 1);
        if (!current.equals(newest.schema())) {
            problems.add(recordName + ": the current schema differs from its newest published version v" + newest.number()
                    + "; publish it as schema-history/" + recordName + "/v" + (newest.number() + 1) + ".avsc");
        }
        for (Version earlier : versions) {
            SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(current, earlier.schema());
            if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
                problems.add(recordName + ": the current schema cannot read data written with v" + earlier.number() + ": "
                        + describe(current, result.getResult().getIncompatibilities()));
            }
        }
        return problems;
    }
}
