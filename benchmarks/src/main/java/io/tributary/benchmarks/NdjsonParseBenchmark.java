package io.tributary.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import io.tributary.gateway.events.BodyRows;
import io.tributary.gateway.events.ConvertedRow;
import io.tributary.gateway.events.EventsBody;
import io.tributary.gateway.events.EventsLimits;
import io.tributary.gateway.events.RowConverter;
import io.tributary.schemas.Datasources;
import java.time.Instant;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The gateway's per-row work before Kafka: split an NDJSON body into rows (BodyRows) and parse and
 * validate each into an Avro record (RowConverter). One invocation = one body of 5,000 lines;
 * scores are per row.
 */
public class NdjsonParseBenchmark extends HotPathBenchmark {
    static final int LINES = 5_000;

    private EventsBody body;
    private BodyRows rows;
    private RowConverter converter;
    private final Instant ingestedAt = Instant.parse("2024-01-01T00:00:00Z");

    @Setup
    public void setUp() {
        JsonFactory json = new JsonFactory();
        body = EventsBody.of(BenchData.ndjson(LINES, 1));
        rows = new BodyRows(json);
        converter = RowConverter.forDatasource(Datasources.CUSTOMER_EVENTS, json, EventsLimits.DEFAULT_MAX_STRING_CHARS);
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public long parseAndValidate(Blackhole hole) {
        byte[] bytes = body.bytes();
        return rows.forEach(body, (line, offset, length) -> {
            ConvertedRow row = converter.convert(bytes, offset, length, "default", ingestedAt);
            if (!(row instanceof ConvertedRow.Valid)) {
                throw new IllegalStateException("line " + line + " invalid: " + row);
            }
            hole.consume(row);
            return true;
        });
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public long splitLinesOnly(Blackhole hole) {
        return rows.forEach(body, (line, offset, length) -> {
            hole.consume(length);
            return true;
        });
    }
}
