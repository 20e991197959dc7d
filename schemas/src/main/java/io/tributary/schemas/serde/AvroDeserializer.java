package io.tributary.schemas.serde;

import io.tributary.schemas.registry.SchemaRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire-format Avro. The writer schema comes from the registry by the id in the
 * header (cached); the record is resolved into the reader's schema, so readers of version N read
 * data written with any BACKWARD-compatible version.
 */
public final class AvroDeserializer<T> implements Deserializer<T> {
    private final SchemaRegistry registry;
    private final Schema readerSchema; // null: read as GenericRecord in the writer's schema
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();

    private AvroDeserializer(SchemaRegistry registry, Schema readerSchema) {
        this.registry = Objects.requireNonNull(registry);
        this.readerSchema = readerSchema;
    }

    /** Reads into a generated class. */
    public static <T extends SpecificRecord> AvroDeserializer<T> specific(SchemaRegistry registry, Class<T> type) {
        return new AvroDeserializer<>(registry, SpecificData.get().getSchema(type));
    }

    /** Reads into {@link org.apache.avro.generic.GenericRecord}s in the writer's own schema. */
    public static <T> AvroDeserializer<T> generic(SchemaRegistry registry) {
        return new AvroDeserializer<>(registry, null);
    }

    @Override
    public T deserialize(String topic, byte[] payload) {
        if (payload == null) {
            return null; // tombstone
        }
        int id = WireFormat.schemaId(payload);
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(
                    payload, WireFormat.HEADER_SIZE, payload.length - WireFormat.HEADER_SIZE, null);
            return reader(id).read(null, decoder);
        } catch (java.io.IOException | RuntimeException e) {
            throw new SerializationException("cannot decode record with schema id " + id + " from topic " + topic + ": " + e.getMessage(), e);
        }
    }

    private DatumReader<T> reader(int id) {
        return readers.computeIfAbsent(id, k -> {
            Schema writer = registry.schemaById(k);
            if (readerSchema == null) {
                return new GenericDatumReader<>(writer, writer, AvroSerializer.genericDataWithLogicalTypes());
            }
            return new SpecificDatumReader<>(writer, readerSchema, SpecificData.getForSchema(readerSchema));
        });
    }
}
