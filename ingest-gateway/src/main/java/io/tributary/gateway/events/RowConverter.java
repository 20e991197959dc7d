package io.tributary.gateway.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.tributary.platform.http.JsonErrors;
import io.tributary.schemas.Datasource;
import io.tributary.schemas.Topics;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * Turns one JSON row into an Avro record of a datasource's schema, streaming the row with
 * Jackson straight into the record. Built once per datasource: nothing here is specific to one
 * datasource, so adding one means adding its schema and a {@code Datasources} entry.
 *
 * <p>Rules: a row is one JSON object. Fields are read by {@link FieldReader}. Fields not in the
 * schema are ignored (as Tinybird ignores unmapped keys). Server fields ({@code workspace_id},
 * {@code ingested_at}) are never taken from the row: the token's workspace and the time of
 * ingestion overwrite them. Fields of another API ({@code Datasource.otherApiFields}) are ignored
 * like unknown keys and stay null. Required fields are the non-nullable fields the server does not set;
 * a row lacking one, or giving it as null, is rejected. The key field is always required.
 * Datasource-specific value checks ({@link FieldChecks}, e.g. a segment rule must parse) run
 * last. The first problem found rejects the row.
 */
public final class RowConverter {

    /** Fields the gateway sets itself, by the names datasources use for them. */
    private enum ServerField {
        WORKSPACE_ID("workspace_id"), INGESTED_AT("ingested_at");

        final String fieldName;

        ServerField(String fieldName) {
            this.fieldName = fieldName;
        }

        static ServerField named(String name) {
            for (ServerField f : values()) {
                if (f.fieldName.equals(name)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("the gateway does not know how to set server field " + name);
        }
    }

    private record Slot(String name, int pos, boolean required, FieldReader reader) {
    }

    /** A {@link FieldChecks} of this datasource, with the position of its field. */
    private record CheckedField(FieldChecks check, int pos) {
    }

    private final Datasource datasource;
    private final JsonFactory json;
    private final Schema schema;
    private final Map<String, Slot> clientFields;
    private final List<Slot> requiredFields;
    private final List<CheckedField> checkedFields;
    private final int keyPos;
    private final int workspacePos;
    private final int ingestedAtPos;

    private RowConverter(Datasource datasource, JsonFactory json, Map<String, Slot> clientFields, int workspacePos, int ingestedAtPos) {
        this.datasource = datasource;
        this.json = json;
        this.schema = datasource.schema();
        this.clientFields = new HashMap<>(clientFields); // never modified after construction
        this.requiredFields = clientFields.values().stream().filter(Slot::required)
                .sorted((a, b) -> Integer.compare(a.pos(), b.pos())).toList();
        this.checkedFields = FieldChecks.of(datasource).stream()
                .map(c -> new CheckedField(c, schema.getField(c.field()).pos())).toList();
        this.keyPos = schema.getField(datasource.keyField()).pos();
        this.workspacePos = workspacePos;
        this.ingestedAtPos = ingestedAtPos;
    }

    /**
     * The converter of {@code datasource}; strings longer than {@code maxStringChars} are refused.
     *
     * @throws IllegalArgumentException when the schema has a field type JSON rows cannot carry
     */
    public static RowConverter forDatasource(Datasource datasource, JsonFactory json, int maxStringChars) {
        Objects.requireNonNull(json);
        Schema schema = datasource.schema();
        int workspacePos = -1;
        int ingestedAtPos = -1;
        for (String name : datasource.serverFields()) {
            int pos = schema.getField(name).pos();
            switch (ServerField.named(name)) {
                case WORKSPACE_ID -> workspacePos = pos;
                case INGESTED_AT -> ingestedAtPos = pos;
            }
        }
        Map<String, Slot> clientFields = new HashMap<>();
        for (Schema.Field field : schema.getFields()) {
            if (datasource.serverFields().contains(field.name()) || datasource.otherApiFields().contains(field.name())) {
                continue;
            }
            Schema valueType = nonNullBranch(field.schema());
            boolean nullable = valueType != field.schema();
            boolean required = !nullable || field.name().equals(datasource.keyField());
            try {
                // Interned like the field names Jackson hands out, so that lookups mostly compare references.
                clientFields.put(field.name().intern(), new Slot(field.name(), field.pos(), required,
                        FieldReader.forSchema(valueType, required, maxStringChars)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("datasource " + datasource.name() + ", field " + field.name() + ": " + e.getMessage(), e);
            }
        }
        return new RowConverter(datasource, json, clientFields, workspacePos, ingestedAtPos);
    }

    /** {@code X} for {@code X} and for {@code ["null", X]} / {@code [X, "null"]}; other unions are refused. */
    private static Schema nonNullBranch(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        List<Schema> types = schema.getTypes();
        if (types.size() == 2) {
            if (types.get(0).getType() == Schema.Type.NULL) {
                return types.get(1);
            }
            if (types.get(1).getType() == Schema.Type.NULL) {
                return types.get(0);
            }
        }
        throw new IllegalArgumentException("only unions of null and one type are supported, not " + schema);
    }

    public Datasource datasource() {
        return datasource;
    }

    /** Converts the row {@code b[off, off+len)} posted by {@code workspaceId} and accepted at {@code ingestedAt}. */
    public ConvertedRow convert(byte[] b, int off, int len, String workspaceId, Instant ingestedAt) {
        try (JsonParser p = json.createParser(b, off, len)) {
            return convert(p, workspaceId, ingestedAt);
        } catch (JsonProcessingException e) { // malformed, invalid UTF-8, or past a StreamReadConstraints limit (nesting)
            return new ConvertedRow.Invalid(null, "malformed JSON" + where(e.getLocation()) + ": " + JsonErrors.reason(e));
        } catch (IOException e) {
            return new ConvertedRow.Invalid(null, "unreadable row: " + e.getMessage());
        }
    }

    private ConvertedRow convert(JsonParser p, String workspaceId, Instant ingestedAt) throws IOException {
        JsonToken token = p.nextToken();
        if (token != JsonToken.START_OBJECT) {
            return new ConvertedRow.Invalid(null, "a row must be a JSON object, got " + FieldReader.describe(token));
        }
        GenericData.Record record = new GenericData.Record(schema);
        while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
            Slot slot = clientFields.get(p.currentName());
            token = p.nextToken();
            if (slot == null) {
                p.skipChildren(); // unknown or server-set field: ignored
                continue;
            }
            if (token == JsonToken.VALUE_NULL) {
                if (slot.required()) {
                    return new ConvertedRow.Invalid(slot.name(), "required field is null");
                }
                record.put(slot.pos(), null);
                continue;
            }
            try {
                record.put(slot.pos(), slot.reader().read(p, token));
            } catch (FieldRejection rejection) {
                return new ConvertedRow.Invalid(slot.name(), rejection.reason());
            }
        }
        if (p.nextToken() != null) {
            return new ConvertedRow.Invalid(null, "malformed JSON" + where(p.currentLocation())
                    + ": unexpected content after the JSON object (one object per line)");
        }
        ConvertedRow.Invalid missing = missingRequired(record);
        if (missing != null) {
            return missing;
        }
        for (CheckedField checked : checkedFields) {
            Object value = record.get(checked.pos());
            String problem = value == null ? null : checked.check().check(value);
            if (problem != null) {
                return new ConvertedRow.Invalid(checked.check().field(), problem);
            }
        }
        if (workspacePos >= 0) {
            record.put(workspacePos, workspaceId);
        }
        if (ingestedAtPos >= 0) {
            record.put(ingestedAtPos, ingestedAt);
        }
        return new ConvertedRow.Valid(Topics.key(workspaceId, record.get(keyPos).toString()), record);
    }

    private ConvertedRow.Invalid missingRequired(GenericData.Record record) {
        List<String> missing = null;
        for (Slot slot : requiredFields) {
            if (record.get(slot.pos()) == null) {
                if (missing == null) {
                    missing = new ArrayList<>();
                }
                missing.add(slot.name());
            }
        }
        if (missing == null) {
            return null;
        }
        String reason = missing.size() == 1
                ? "required field is missing"
                : "required field is missing (also missing: " + missing.stream().skip(1).collect(Collectors.joining(", ")) + ")";
        return new ConvertedRow.Invalid(missing.get(0), reason);
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getColumnNr() < 0) {
            return "";
        }
        return location.getLineNr() > 1
                ? " at line " + location.getLineNr() + " of the row, column " + location.getColumnNr()
                : " at column " + location.getColumnNr();
    }
}
