package io.tributary.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.CustomerEvent;
import io.tributary.schemas.registry.InMemorySchemaRegistry;
import io.tributary.schemas.registry.RegisteredSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {
    private static final String TOPIC = Topics.CUSTOMER_EVENTS;

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry(42);

    @Test
    void specificRecordIsHeaderWithIdThenExactlyTheAvroBinaryBody() throws IOException {
        CustomerEvent event = TestEvents.purchase();

        byte[] bytes = new AvroSerializer<CustomerEvent>(registry, false).serialize(TOPIC, event);

        byte[] body = avroBinary(event);
        assertThat(Arrays.copyOfRange(bytes, 0, 5)).containsExactly(0x00, 0x00, 0x00, 0x00, 0x2A);
        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(body);
        assertThat(bytes).hasSize(5 + body.length);
    }

    @Test
    void registersTheWriterSchemaUnderTheTopicValueSubjectOnce() {
        AvroSerializer<CustomerEvent> serializer = new AvroSerializer<>(registry, false);
        serializer.serialize(TOPIC, TestEvents.purchase());
        serializer.serialize(TOPIC, TestEvents.purchase());

        assertThat(registry.registerCalls()).isEqualTo(1);
        RegisteredSchema latest = registry.version("customer_events-value", -1);
        assertThat(latest.id()).isEqualTo(42);
        assertThat(latest.schema()).isEqualTo(CustomerEvent.getClassSchema());
    }

    @Test
    void keySerializerUsesTheKeySubject() {
        new AvroSerializer<CustomerEvent>(registry, true).serialize(TOPIC, TestEvents.purchase());

        assertThat(registry.subjects()).containsExactly("customer_events-key");
    }

    @Test
    void specificRoundTripGivesAnEqualRecord() {
        CustomerEvent event = TestEvents.purchase();
        byte[] bytes = new AvroSerializer<CustomerEvent>(registry, false).serialize(TOPIC, event);

        CustomerEvent read = AvroDeserializer.specific(registry, CustomerEvent.class).deserialize(TOPIC, bytes);

        assertThat(read).isEqualTo(event);
    }

    @Test
    void genericRecordOfTheSameSchemaHasTheSameBytesAsTheSpecificOne() {
        byte[] specific = new AvroSerializer<CustomerEvent>(registry, false).serialize(TOPIC, TestEvents.purchase());
        GenericRecord generic = TestEvents.purchaseAsGeneric(CustomerEvent.getClassSchema());

        byte[] fromGeneric = new AvroSerializer<GenericRecord>(registry, false).serialize(TOPIC, generic);

        assertThat(fromGeneric).isEqualTo(specific);
    }

    @Test
    void genericRoundTripReadsInTheWriterSchema() {
        Schema v2 = TestEvents.customerEventV2();
        GenericRecord record = TestEvents.purchaseAsGeneric(v2);
        record.put("campaign_id", "spring");
        byte[] bytes = new AvroSerializer<GenericRecord>(registry, false).serialize(TOPIC, record);

        GenericRecord read = AvroDeserializer.<GenericRecord>generic(registry).deserialize(TOPIC, bytes);

        assertThat(read.getSchema()).isEqualTo(v2);
        // GenericData.Record#equals knows no logical types, so compare field by field.
        for (Schema.Field field : v2.getFields()) {
            assertThat(plain(read.get(field.name()))).as(field.name()).isEqualTo(plain(record.get(field.name())));
        }
        assertThat(read.get("price")).isEqualTo(TestEvents.purchase().getPrice());
        assertThat(read.get("event_timestamp")).isEqualTo(TestEvents.EVENT_TIME);
        assertThat(read.get("campaign_id")).hasToString("spring");
    }

    @Test
    void recordWrittenWithANewerCompatibleVersionIsReadIntoTheOlderGeneratedClass() {
        GenericRecord v2Record = TestEvents.purchaseAsGeneric(TestEvents.customerEventV2());
        v2Record.put("campaign_id", "spring");
        byte[] bytes = new AvroSerializer<GenericRecord>(registry, false).serialize(TOPIC, v2Record);
        assertThat(WireFormat.schemaId(bytes)).isEqualTo(42);

        CustomerEvent read = AvroDeserializer.specific(registry, CustomerEvent.class).deserialize(TOPIC, bytes);

        assertThat(read).isEqualTo(TestEvents.purchase());
    }

    @Test
    void serdeFromAvroSerdesRoundTrips() {
        try (Serde<CustomerEvent> serde = AvroSerdes.specificValue(registry, CustomerEvent.class)) {
            byte[] bytes = serde.serializer().serialize(TOPIC, TestEvents.purchase());
            assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(TestEvents.purchase());
        }
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertThat(new AvroSerializer<CustomerEvent>(registry, false).serialize(TOPIC, null)).isNull();
        assertThat(AvroDeserializer.specific(registry, CustomerEvent.class).deserialize(TOPIC, null)).isNull();
        assertThat(registry.registerCalls()).isZero();
    }

    @Test
    void wrongMagicByteFailsWithAClearMessage() {
        byte[] bytes = new AvroSerializer<CustomerEvent>(registry, false).serialize(TOPIC, TestEvents.purchase());
        bytes[0] = 7;

        assertThatThrownBy(() -> AvroDeserializer.specific(registry, CustomerEvent.class).deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not Confluent wire format: magic byte is 7, expected 0");
    }

    @Test
    void tooShortPayloadFailsWithAClearMessage() {
        assertThatThrownBy(() -> AvroDeserializer.specific(registry, CustomerEvent.class).deserialize(TOPIC, new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("3 bytes, need at least 5");
    }

    @Test
    void truncatedBodyFailsNamingTheSchemaIdAndTopic() {
        byte[] bytes = new AvroSerializer<CustomerEvent>(registry, false).serialize(TOPIC, TestEvents.purchase());
        byte[] truncated = Arrays.copyOf(bytes, 12);

        assertThatThrownBy(() -> AvroDeserializer.specific(registry, CustomerEvent.class).deserialize(TOPIC, truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema id 42")
                .hasMessageContaining(TOPIC);
    }

    @Test
    void unknownSchemaIdFailsNamingTheId() {
        byte[] bytes = new AvroSerializer<CustomerEvent>(registry, false).serialize(TOPIC, TestEvents.purchase());
        WireFormat.writeHeader(bytes, 777);

        assertThatThrownBy(() -> AvroDeserializer.specific(registry, CustomerEvent.class).deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema id 777");
    }

    /** Avro reads strings as Utf8 unless the schema asks for java.lang.String. */
    private static Object plain(Object value) {
        return value instanceof CharSequence ? value.toString() : value;
    }

    private static byte[] avroBinary(CustomerEvent event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(CustomerEvent.class).write(event, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
