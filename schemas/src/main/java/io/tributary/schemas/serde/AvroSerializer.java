package io.tributary.schemas.serde;

import io.tributary.schemas.Topics;
import io.tributary.schemas.registry.SchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializes Avro records (specific or generic) in Confluent's wire format. The writer schema is
 * registered under {@code <topic>-value} (or {@code -key}) on first use and its id cached, as
 * Confluent's KafkaAvroSerializer does with auto.register.schemas=true.
 */
public final class AvroSerializer<T extends GenericContainer> implements Serializer<T> {
    private final SchemaRegistry registry;
    private final boolean isKey;
    private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
    private final ThreadLocal<Buffer> buffers = ThreadLocal.withInitial(Buffer::new);

    private record SubjectSchema(String subject, Schema schema) {
    }

    public AvroSerializer(SchemaRegistry registry, boolean isKey) {
        this.registry = Objects.requireNonNull(registry);
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null; // tombstone
        }
        Schema schema = record.getSchema();
        int id = schemaId(topic, schema);
        try {
            // A per-thread buffer and buffered encoder: this runs once per produced row, on the hot path.
            Buffer buffer = buffers.get();
            buffer.reset();
            buffer.write(HEADER_PLACEHOLDER, 0, WireFormat.HEADER_SIZE);
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(buffer, buffer.encoder);
            buffer.encoder = encoder;
            writer(schema).write(record, encoder);
            encoder.flush();
            byte[] bytes = buffer.toByteArray();
            WireFormat.writeHeader(bytes, id);
            return bytes;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot serialize " + schema.getFullName() + " for topic " + topic + ": " + e.getMessage(), e);
        }
    }

    private static final byte[] HEADER_PLACEHOLDER = new byte[WireFormat.HEADER_SIZE];

    /** A growable byte buffer whose encoder is reused with it (never shared between threads). */
    private static final class Buffer extends ByteArrayOutputStream {
        private BinaryEncoder encoder;

        Buffer() {
            super(512);
        }
    }

    /** The registry id of {@code schema} for this topic, registering it on first use. */
    public int schemaId(String topic, Schema schema) {
        String subject = isKey ? topic + "-key" : Topics.valueSubject(topic);
        return ids.computeIfAbsent(new SubjectSchema(subject, schema), k -> registry.register(k.subject(), k.schema()));
    }

    private DatumWriter<Object> writer(Schema schema) {
        return writers.computeIfAbsent(schema, s -> isSpecific(s)
                ? new SpecificDatumWriter<>(s, SpecificData.getForSchema(s))
                : new GenericDatumWriter<>(s, genericDataWithLogicalTypes()));
    }

    private static boolean isSpecific(Schema schema) {
        return SpecificRecord.class.isAssignableFrom(SpecificData.get().getClass(schema));
    }

    static GenericData genericDataWithLogicalTypes() {
        GenericData data = new GenericData();
        data.addLogicalTypeConversion(new org.apache.avro.Conversions.DecimalConversion());
        data.addLogicalTypeConversion(new org.apache.avro.data.TimeConversions.TimestampMillisConversion());
        data.addLogicalTypeConversion(new org.apache.avro.data.TimeConversions.TimestampMicrosConversion());
        data.addLogicalTypeConversion(new org.apache.avro.data.TimeConversions.DateConversion());
        return data;
    }
}
