package io.tributary.gateway.upload;

import io.tributary.schemas.avro.CustomerMetrics;
import io.tributary.schemas.avro.DatedMetrics;
import io.tributary.schemas.serde.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * How the gateway holds an upload between reading and producing it: each customer's dated metrics
 * are Avro-encoded (as the {@code metrics} field of CustomerMetrics) as soon as the parser has read
 * the customer, about 40 bytes a date, so that a 10,000 × 200 upload is ~80 MB of bytes while the
 * rest of the body is validated, rather than two million maps (which did not fit a 1 GB heap). The
 * record is completed when it is produced, once the upload's size is known: {@link #serialize}
 * writes it as AvroSerializer would, byte for byte, with the encoded field spliced in.
 * One instance per upload (not thread-safe).
 */
final class EncodedMetrics {
    static final Schema SCHEMA = CustomerMetrics.getClassSchema();
    private static final Schema.Field METRICS = SCHEMA.getField("metrics");
    private static final byte[] HEADER_PLACEHOLDER = new byte[WireFormat.HEADER_SIZE];

    private final SpecificDatumWriter<Object> metricsWriter = new SpecificDatumWriter<>(METRICS.schema(), SpecificData.getForSchema(SCHEMA));
    private final SplicingWriter recordWriter = new SplicingWriter();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(16 * 1024);
    private BinaryEncoder encoder;

    /** The Avro encoding of {@code dated} as the value of CustomerMetrics.metrics. */
    byte[] encode(List<UploadedCustomer.Dated> dated) {
        List<DatedMetrics> items = new ArrayList<>(dated.size());
        for (UploadedCustomer.Dated d : dated) {
            items.add(DatedMetrics.newBuilder().setMetricDate(d.date()).setValues(new HashMap<>(d.values())).build());
        }
        buffer.reset();
        return write(() -> metricsWriter.write(items, encoder));
    }

    /**
     * {@code record} in Confluent's wire format with schema id {@code schemaId}; its metrics field is
     * {@code metrics} (from {@link #encode}), whatever {@code record.getMetrics()} holds.
     */
    byte[] serialize(int schemaId, CustomerMetrics record, byte[] metrics) {
        buffer.reset();
        buffer.write(HEADER_PLACEHOLDER, 0, HEADER_PLACEHOLDER.length);
        recordWriter.metrics = metrics;
        byte[] bytes = write(() -> recordWriter.write(record, encoder));
        WireFormat.writeHeader(bytes, schemaId);
        return bytes;
    }

    private interface Encoding {
        void run() throws IOException;
    }

    private byte[] write(Encoding encoding) {
        encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
        try {
            encoding.run();
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return buffer.toByteArray();
    }

    /** The generated class's writer, but the metrics field is written as the bytes given. */
    private static final class SplicingWriter extends SpecificDatumWriter<CustomerMetrics> {
        private byte[] metrics;

        SplicingWriter() {
            super(SCHEMA, SpecificData.getForSchema(SCHEMA));
        }

        @Override
        protected void writeField(Object datum, Schema.Field f, Encoder out, Object state) throws IOException {
            if (datum instanceof CustomerMetrics && f.pos() == METRICS.pos()) {
                out.writeFixed(metrics);
            } else {
                super.writeField(datum, f, out, state);
            }
        }
    }
}
