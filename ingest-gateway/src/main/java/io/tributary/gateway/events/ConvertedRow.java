package io.tributary.gateway.events;

import org.apache.avro.generic.GenericRecord;

/** The outcome of converting one row: a record to produce, or the reason it goes to quarantine. */
public sealed interface ConvertedRow {

    /** A valid row: the Avro record (server fields set) and its Kafka key {@code workspace_id|<key field>}. */
    record Valid(String key, GenericRecord record) implements ConvertedRow {
    }

    /** An invalid row: the offending field ({@code null} when the row as a whole is wrong) and why. */
    record Invalid(String column, String reason) implements ConvertedRow {
    }
}
