package io.tributary.schemas.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's wire format: magic byte 0, the writer schema's registry id as a 4-byte big-endian
 * int, then the Avro binary body.
 */
public final class WireFormat {
    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** Writes the 5-byte header for {@code schemaId} into the start of {@code target}. */
    public static void writeHeader(byte[] target, int schemaId) {
        target[0] = MAGIC_BYTE;
        target[1] = (byte) (schemaId >>> 24);
        target[2] = (byte) (schemaId >>> 16);
        target[3] = (byte) (schemaId >>> 8);
        target[4] = (byte) schemaId;
    }

    /** The schema id of a framed payload; fails on anything not in the wire format. */
    public static int schemaId(byte[] payload) {
        if (payload == null || payload.length < HEADER_SIZE) {
            throw new SerializationException("not Confluent wire format: "
                    + (payload == null ? "null" : payload.length + " bytes") + ", need at least " + HEADER_SIZE);
        }
        if (payload[0] != MAGIC_BYTE) {
            throw new SerializationException("not Confluent wire format: magic byte is " + payload[0] + ", expected 0");
        }
        return ByteBuffer.wrap(payload, 1, 4).getInt();
    }
}
