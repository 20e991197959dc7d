package io.tributary.platform.registry;

import io.tributary.schemas.avro.CustomerEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Schemas and records the registry contract tests register and produce. */
final class ContractRecords {
    private static final Schema STRING = Schema.create(Schema.Type.STRING);
    private static final Schema OPTIONAL_STRING = Schema.createUnion(Schema.create(Schema.Type.NULL), STRING);

    private ContractRecords() {
    }

    /** A record {@code name} with a required string field {@code id}. */
    static Schema v1(String name) {
        return record(name, field("id", STRING));
    }

    /** {@link #v1} plus an optional field: BACKWARD and FORWARD compatible with it. */
    static Schema v2WithOptionalField(String name) {
        return record(name, field("id", STRING), new Schema.Field("email", OPTIONAL_STRING, null, Schema.Field.NULL_DEFAULT_VALUE));
    }

    /** {@link #v1} plus a required field without default: FORWARD but not BACKWARD compatible with it. */
    static Schema v2WithRequiredField(String name) {
        return record(name, field("id", STRING), field("tier", STRING));
    }

    /** {@link #v1} with {@code id} turned into an int: compatible in no direction. */
    static Schema v2WithChangedType(String name) {
        return record(name, field("id", Schema.create(Schema.Type.INT)));
    }

    static CustomerEvent customerEvent(String eventId) {
        return CustomerEvent.newBuilder()
                .setWorkspaceId("ws_contract")
                .setEventId(eventId)
                .setCustomerId("cust_7")
                .setEventType("purchase")
                .setEventTimestamp(Instant.parse("2024-05-01T10:00:00.123Z"))
                .setSessionId("sess_1")
                .setPageUrl("https://shop.example/checkout")
                .setProductId("prod_3")
                .setCategoryId(null)
                .setPrice(new BigDecimal("49.5000"))
                .setQuantity(1)
                .setDeviceType("desktop")
                .setCountry("FR")
                .setReferrer(null)
                .setUserAgent(null)
                .setIngestedAt(Instant.parse("2024-05-01T10:00:01Z"))
                .build();
    }

    /** CustomerEvent version 2: one more optional field, BACKWARD compatible with the generated class. */
    static Schema customerEventV2() {
        Schema v1 = CustomerEvent.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : v1.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(new Schema.Field("campaign_id", OPTIONAL_STRING, "Added in version 2.", Schema.Field.NULL_DEFAULT_VALUE));
        return Schema.createRecord(v1.getName(), v1.getDoc(), v1.getNamespace(), false, fields);
    }

    /** {@code event} as a version-2 record with {@code campaign_id} set. */
    static GenericRecord asV2(CustomerEvent event, String campaignId) {
        GenericData.Record record = new GenericData.Record(customerEventV2());
        for (Schema.Field f : CustomerEvent.getClassSchema().getFields()) {
            record.put(f.name(), event.get(f.pos()));
        }
        record.put("campaign_id", campaignId);
        return record;
    }

    private static Schema.Field field(String name, Schema type) {
        return new Schema.Field(name, type, null, (Object) null);
    }

    private static Schema record(String name, Schema.Field... fields) {
        return Schema.createRecord(name, null, "io.tributary.contract", false, List.of(fields));
    }
}
