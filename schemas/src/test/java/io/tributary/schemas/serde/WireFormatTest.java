package io.tributary.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    @Test
    void headerIsMagicByteThenBigEndianId() {
        byte[] bytes = new byte[WireFormat.HEADER_SIZE + 1];
        WireFormat.writeHeader(bytes, 42);
        assertThat(bytes).containsExactly(0, 0, 0, 0, 0x2A, 0);

        WireFormat.writeHeader(bytes, 0x01020304);
        assertThat(bytes).startsWith(0, 1, 2, 3, 4);
    }

    @Test
    void schemaIdReadsTheHeaderBack() {
        for (int id : new int[] {0, 1, 42, 255, 256, 65_536, 0x01020304, Integer.MAX_VALUE}) {
            byte[] bytes = new byte[WireFormat.HEADER_SIZE];
            WireFormat.writeHeader(bytes, id);
            assertThat(WireFormat.schemaId(bytes)).as("id %d", id).isEqualTo(id);
        }
    }

    @Test
    void rejectsAWrongMagicByte() {
        assertThatThrownBy(() -> WireFormat.schemaId(new byte[] {1, 0, 0, 0, 42, 2}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("magic byte is 1, expected 0");
    }

    @Test
    void rejectsPayloadsShorterThanTheHeader() {
        assertThatThrownBy(() -> WireFormat.schemaId(new byte[] {0, 0, 0, 42}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("4 bytes, need at least 5");
        assertThatThrownBy(() -> WireFormat.schemaId(new byte[0]))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("0 bytes");
        assertThatThrownBy(() -> WireFormat.schemaId(null))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("null");
    }
}
