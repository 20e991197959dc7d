package io.tributary.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import io.tributary.gateway.events.ConvertedRow;
import io.tributary.gateway.events.EventsLimits;
import io.tributary.gateway.events.RowConverter;
import io.tributary.schemas.Datasources;
import io.tributary.schemas.Topics;
import io.tributary.schemas.registry.CompatibilityLevel;
import io.tributary.schemas.registry.RegisteredSchema;
import io.tributary.schemas.registry.SchemaRegistry;
import io.tributary.schemas.serde.AvroSerializer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Confluent wire-format Avro encoding of customer events with the gateway's serializer (the schema
 * id is cached after the first record, so the registry is out of the loop). Scores are per record.
 */
public class AvroEncodeBenchmark extends HotPathBenchmark {
    static final int RECORDS = 1_000;

    private final List<GenericContainer> records = new ArrayList<>();
    private AvroSerializer<GenericContainer> serializer;

    @Setup
    public void setUp() {
        JsonFactory json = new JsonFactory();
        RowConverter converter = RowConverter.forDatasource(Datasources.CUSTOMER_EVENTS, json, EventsLimits.DEFAULT_MAX_STRING_CHARS);
        byte[] body = BenchData.ndjson(RECORDS, 2);
        int start = 0;
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '\n') {
                records.add(((ConvertedRow.Valid) converter.convert(body, start, i - start, "default", Instant.EPOCH)).record());
                start = i + 1;
            }
        }
        serializer = new AvroSerializer<>(new FixedIdRegistry(), false);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void encode(Blackhole hole) {
        for (GenericContainer record : records) {
            hole.consume(serializer.serialize(Topics.CUSTOMER_EVENTS, record));
        }
    }

    /** Answers every registration with id 1: the benchmark measures encoding, not the registry. */
    static final class FixedIdRegistry implements SchemaRegistry {
        @Override
        public int register(String subject, Schema schema) {
            return 1;
        }

        @Override
        public Schema schemaById(int id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<RegisteredSchema> lookup(String subject, Schema schema) {
            return Optional.empty();
        }

        @Override
        public List<String> subjects() {
            return List.of();
        }

        @Override
        public List<Integer> versions(String subject) {
            return List.of();
        }

        @Override
        public RegisteredSchema version(String subject, int version) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isCompatible(String subject, Schema schema) {
            return true;
        }

        @Override
        public CompatibilityLevel globalCompatibility() {
            return CompatibilityLevel.BACKWARD;
        }

        @Override
        public void setGlobalCompatibility(CompatibilityLevel level) {
        }

        @Override
        public Optional<CompatibilityLevel> subjectCompatibility(String subject) {
            return Optional.empty();
        }

        @Override
        public void setSubjectCompatibility(String subject, CompatibilityLevel level) {
        }
    }
}
