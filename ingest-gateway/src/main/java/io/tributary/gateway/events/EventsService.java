package io.tributary.gateway.events;

import com.fasterxml.jackson.core.JsonFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.tributary.platform.http.ApiException;
import io.tributary.platform.http.ErrorDetail;
import io.tributary.platform.kafka.ConsumerGroupProgress;
import io.tributary.platform.kafka.ConsumerGroups;
import io.tributary.platform.kafka.KafkaClients;
import io.tributary.schemas.Datasource;
import io.tributary.schemas.Datasources;
import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.QuarantineRecord;
import io.tributary.schemas.registry.SchemaRegistry;
import io.tributary.schemas.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Events API's work: validates each row of a body against its datasource's schema, produces
 * valid rows to the datasource topic and invalid ones to {@code quarantine} through one shared
 * producer, and answers only once Kafka acknowledged every one of them (and, for
 * {@code wait=true}, once the store sink committed past them).
 */
public final class EventsService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventsService.class);
    public static final String PRODUCER_CLIENT_ID = "tributary-gateway";
    /** How many rejected rows a response lists; all of them go to the quarantine topic regardless. */
    public static final int MAX_REPORTED_PROBLEMS = 100;
    /** raw_line of a quarantine record is cut to this many bytes (QuarantineRecord's contract). */
    public static final int MAX_RAW_LINE_BYTES = 64 * 1024;
    /** Seconds a client should wait before retrying after Kafka did not acknowledge a write. */
    static final int RETRY_AFTER_SECONDS = 5;

    private record DatasourceIngest(Datasource datasource, RowConverter converter, Counter accepted,
                                    Counter quarantined, Timer ackLatency) {
    }

    private final KafkaProducer<String, GenericContainer> producer;
    private final KafkaClientMetrics producerMetrics;
    private final ConsumerGroupProgress sinkProgress;
    private final EventsLimits limits;
    private final Clock clock;
    private final BodyRows bodyRows;
    private final Map<String, DatasourceIngest> datasources;

    public EventsService(KafkaClients kafka, SchemaRegistry registry, ConsumerGroupProgress sinkProgress,
                         MeterRegistry meters, EventsLimits limits) {
        this(kafka, registry, sinkProgress, meters, limits, Datasources.all(), Clock.systemUTC());
    }

    public EventsService(KafkaClients kafka, SchemaRegistry registry, ConsumerGroupProgress sinkProgress,
                         MeterRegistry meters, EventsLimits limits, Collection<Datasource> datasources, Clock clock) {
        this.sinkProgress = Objects.requireNonNull(sinkProgress);
        this.limits = Objects.requireNonNull(limits);
        this.clock = Objects.requireNonNull(clock);
        // Rows are flat objects: nesting past JsonErrors.MAX_NESTING_DEPTH quarantines the row early
        JsonFactory json = JsonFactory.builder().streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                .maxNestingDepth(io.tributary.platform.http.JsonErrors.MAX_NESTING_DEPTH).build()).build();
        this.bodyRows = new BodyRows(json);
        Map<String, DatasourceIngest> byName = new LinkedHashMap<>();
        for (Datasource ds : datasources) {
            byName.put(ds.name(), new DatasourceIngest(ds,
                    RowConverter.forDatasource(ds, json, limits.maxStringChars()),
                    rowCounter(meters, ds, "accepted"),
                    rowCounter(meters, ds, "quarantined"),
                    Timer.builder("tributary.ingest.produce.ack.latency")
                            .description("Time from the start of producing a request's rows until Kafka acknowledged all of them")
                            .tag("datasource", ds.name())
                            .register(meters)));
        }
        this.datasources = Map.copyOf(byName);
        // One producer for every request and topic: batching across requests is what makes it fast.
        this.producer = kafka.producer(PRODUCER_CLIENT_ID, new StringSerializer(), new AvroSerializer<>(registry, false));
        this.producerMetrics = new KafkaClientMetrics(producer);
        this.producerMetrics.bindTo(meters);
    }

    private static Counter rowCounter(MeterRegistry meters, Datasource ds, String result) {
        return Counter.builder("tributary.ingest.rows")
                .description("Rows Kafka acknowledged, by datasource and whether they were accepted or quarantined")
                .tags("datasource", ds.name(), "result", result)
                .register(meters);
    }

    public Optional<Datasource> datasource(String name) {
        return Optional.ofNullable(datasources.get(name)).map(DatasourceIngest::datasource);
    }

    /**
     * Ingests the rows of one request.
     *
     * @throws ApiException 400 when the body holds no rows; 503 (with Retry-After) when Kafka did
     *                      not acknowledge every row within the ack timeout
     */
    public AppendResult append(AppendRequest request) {
        DatasourceIngest ingest = datasources.get(request.datasource().name());
        if (ingest == null) {
            throw ApiException.notFound("no datasource named '" + request.datasource().name() + "'");
        }
        requireFewEnoughRows(request.body());
        RequestIngestion ingestion = new RequestIngestion(ingest, request, clock.instant());
        long startNanos = System.nanoTime();
        long rows = bodyRows.forEach(request.body(), ingestion);
        if (rows == 0) {
            throw ApiException.badRequest("the body holds no rows, only blank lines");
        }
        AckTracker.Summary acks = awaitAcks(ingestion.acks);
        ingest.accepted().increment(acks.ackedRows());
        ingest.quarantined().increment(acks.ackedQuarantined());
        if (!acks.allAcknowledged()) {
            throw notAcknowledged(request, acks);
        }
        ingest.ackLatency().record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        AppendResult.Visibility visibility = request.waitForVisibility()
                ? awaitSink(request.datasource(), acks.rowNextOffsets())
                : AppendResult.Visibility.NOT_REQUESTED;
        return new AppendResult(acks.ackedRows(), acks.ackedQuarantined(), ingestion.problems, visibility);
    }

    /** 413 when the body holds more than {@code maxRows} rows; counted only when its size allows that many. */
    private void requireFewEnoughRows(EventsBody body) {
        if ((body.length() + 1L) / 2 <= limits.maxRows()) {
            return; // a row takes at least two bytes ("{}") and a line end
        }
        long[] rows = {0};
        bodyRows.forEach(body, (line, off, len) -> ++rows[0] <= limits.maxRows());
        if (rows[0] > limits.maxRows()) {
            throw new ApiException(413, "PAYLOAD_TOO_LARGE", "the body holds more than " + limits.maxRows()
                    + " rows, the limit per request: split it into several requests", List.of());
        }
    }

    private AckTracker.Summary awaitAcks(AckTracker acks) {
        try {
            return acks.await(limits.ackTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.serviceUnavailable("interrupted while waiting for Kafka; retry the request", RETRY_AFTER_SECONDS);
        }
    }

    private ApiException notAcknowledged(AppendRequest request, AckTracker.Summary acks) {
        String cause = acks.failure().map(e -> e.getClass().getSimpleName() + ": " + e.getMessage())
                .orElse("no acknowledgement within " + limits.ackTimeout().toMillis() + " ms");
        LOG.warn("request {}: Kafka acknowledged {} of {} rows sent for {} ({})",
                request.requestId(), acks.acknowledged(), acks.sent(), request.datasource().name(), cause);
        return ApiException.serviceUnavailable(String.format(
                "Kafka did not acknowledge every row: %d rows were acknowledged (%d accepted, %d quarantined) of %d sent"
                        + " before the failure, and the request is not complete; retry the whole request (%s)",
                acks.acknowledged(), acks.ackedRows(), acks.ackedQuarantined(), acks.sent(), cause), RETRY_AFTER_SECONDS);
    }

    private AppendResult.Visibility awaitSink(Datasource datasource, Map<TopicPartition, Long> targets) {
        return sinkProgress.committedWithin(ConsumerGroups.sink(datasource.topic()), targets, limits.waitTimeout())
                ? AppendResult.Visibility.CONFIRMED : AppendResult.Visibility.NOT_CONFIRMED;
    }

    /** The state of one request while its rows are converted and sent. */
    private final class RequestIngestion implements BodyRows.RowVisitor {
        final AckTracker acks = new AckTracker();
        final List<ErrorDetail> problems = new ArrayList<>();
        private final DatasourceIngest ingest;
        private final AppendRequest request;
        private final Instant ingestedAt;
        private final byte[] body;

        RequestIngestion(DatasourceIngest ingest, AppendRequest request, Instant ingestedAt) {
            this.ingest = ingest;
            this.request = request;
            this.ingestedAt = ingestedAt;
            this.body = request.body().bytes();
        }

        @Override
        public boolean row(long lineNumber, int offset, int length) {
            ConvertedRow row = length > limits.maxRowBytes()
                    ? new ConvertedRow.Invalid(null, "row of " + length + " bytes is longer than the limit of " + limits.maxRowBytes() + " bytes")
                    : ingest.converter().convert(body, offset, length, request.workspaceId(), ingestedAt);
            if (row instanceof ConvertedRow.Valid valid) {
                acks.sendingRow();
                send(new ProducerRecord<>(ingest.datasource().topic(), valid.key(), valid.record()), acks.rowCallback);
            } else if (row instanceof ConvertedRow.Invalid invalid) {
                if (problems.size() < MAX_REPORTED_PROBLEMS) {
                    problems.add(ErrorDetail.row(lineNumber, invalid.column(), invalid.reason()));
                }
                QuarantineRecord quarantined = new QuarantineRecord(request.workspaceId(), ingest.datasource().name(),
                        request.requestId(), lineNumber, invalid.column(), invalid.reason(),
                        rawLine(body, offset, length), ingestedAt);
                acks.sendingQuarantined();
                // Keyed by request: one request's rejects stay together and in order.
                send(new ProducerRecord<>(Topics.QUARANTINE, Topics.key(request.workspaceId(), request.requestId()), quarantined),
                        acks.quarantineCallback);
            }
            // Once a send failed the request will answer 503: sending more rows would only duplicate them on retry.
            return !acks.failed();
        }

        private void send(ProducerRecord<String, GenericContainer> record, Callback callback) {
            try {
                producer.send(record, callback);
            } catch (KafkaException | IllegalStateException e) {
                acks.sendThrew(e); // e.g. the schema registry is unreachable, or the producer is closed
            }
        }
    }

    /** The row as received, cut to {@link #MAX_RAW_LINE_BYTES} without splitting a UTF-8 character. */
    static String rawLine(byte[] body, int offset, int length) {
        int keep = length;
        if (keep > MAX_RAW_LINE_BYTES) {
            keep = MAX_RAW_LINE_BYTES;
            while (keep > 0 && (body[offset + keep] & 0xC0) == 0x80) {
                keep--; // body[offset + keep] continues a character that started before the cut
            }
        }
        return new String(body, offset, keep, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producerMetrics.close();
        producer.close(Duration.ofSeconds(10));
    }
}
