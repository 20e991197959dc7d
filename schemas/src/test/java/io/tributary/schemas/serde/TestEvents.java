package io.tributary.schemas.serde;

import io.tributary.schemas.avro.CustomerEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Fixed records for the serde tests. */
final class TestEvents {
    static final Instant EVENT_TIME = Instant.parse("2024-03-01T12:34:56.789Z");
    static final Instant INGESTED_AT = Instant.parse("2024-03-01T12:35:00Z");

    private TestEvents() {
    }

    static CustomerEvent purchase() {
        return CustomerEvent.newBuilder()
                .setWorkspaceId("ws_1")
                .setEventId("evt_1")
                .setCustomerId("cust_1")
                .setEventType("purchase")
                .setEventTimestamp(EVENT_TIME)
                .setSessionId("sess_1")
                .setPageUrl(null)
                .setProductId("prod_9")
                .setCategoryId(null)
                .setPrice(new BigDecimal("19.9900"))
                .setQuantity(2)
                .setDeviceType("mobile")
                .setCountry("DE")
                .setReferrer(null)
                .setUserAgent(null)
                .setIngestedAt(INGESTED_AT)
                .build();
    }

    /** The same event as a GenericRecord of {@code schema}, which must have every CustomerEvent field. */
    static GenericRecord purchaseAsGeneric(Schema schema) {
        CustomerEvent event = purchase();
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field field : CustomerEvent.getClassSchema().getFields()) {
            record.put(field.name(), event.get(field.pos()));
        }
        return record;
    }

    /** Version 2 of CustomerEvent: one more optional field, so BACKWARD compatible with version 1. */
    static Schema customerEventV2() {
        Schema v1 = CustomerEvent.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : v1.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        Schema optionalString = Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING));
        fields.add(new Schema.Field("campaign_id", optionalString, "Added in version 2.", Schema.Field.NULL_DEFAULT_VALUE));
        return Schema.createRecord(v1.getName(), v1.getDoc(), v1.getNamespace(), false, fields);
    }
}
