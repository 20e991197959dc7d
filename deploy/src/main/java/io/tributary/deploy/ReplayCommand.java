package io.tributary.deploy;

import io.tributary.platform.config.Setting;
import io.tributary.platform.config.SettingValues;
import io.tributary.platform.config.StoreKind;
import io.tributary.platform.config.TributaryConfig;
import io.tributary.platform.store.AnalyticsStore;
import io.tributary.platform.store.StoreUnavailableException;
import io.tributary.processors.sink.DeadLetters;
import io.tributary.processors.sink.SinkDefinition;
import io.tributary.processors.sink.StoreReplay;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code tributary replay --from <timestamp>}: writes every sink topic's records from that time up
 * to the end offsets of the moment it starts into the configured store again, through the sinks'
 * own code (StoreReplay), printing progress, then exits. It empties nothing (that is
 * {@code --rebuild-store}) and never touches the sinks' consumer groups: its consumers belong to no
 * group, so processors running against the same Kafka and ClickHouse go on as before, and rows both
 * write are the same rows (store writes are idempotent). With the embedded default the node must be
 * stopped: DuckDB is single-process and the embedded broker lives in the node, so replay opens the
 * DuckDB file and starts the broker on the data dir itself.
 */
final class ReplayCommand {
    static final String NAME = "replay";
    static final String FROM = "--from";
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    private ReplayCommand() {
    }

    static CommandSpec spec() {
        CommandSpec spec = CommandSpec.create().name(NAME).mixinStandardHelpOptions(true);
        spec.usageMessage().description("Write the topics' records from a point in time into the store again (idempotently; nothing is "
                + "emptied), with progress, then exit. With the embedded DuckDB or broker, stop the node first.");
        spec.addOption(OptionSpec.builder(FROM).paramLabel("<timestamp>").type(String.class).required(true)
                .description("Replay records whose Kafka timestamp is at or after this: an ISO-8601 instant (2026-12-01T08:00:00Z; "
                        + "without an offset UTC), a date (2026-12-01 = its start in UTC) or 'earliest' (everything retained)")
                .build());
        TributaryCli.addSettingOptions(spec);
        return spec;
    }

    static int run(ParseResult sub, Map<String, String> env, PrintWriter out, PrintWriter err) {
        Optional<Instant> from;
        try {
            from = parseFrom(sub.matchedOptionValue(FROM, ""));
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        TributaryConfig config = TributaryConfig.from(SettingValues.resolve(TributaryCli.flags(sub), env));
        try {
            return replay(config, from, out);
        } catch (RuntimeException e) {
            err.println("replay failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            err.flush();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("replay interrupted; running it again rewrites what it wrote, harmlessly");
            return 1;
        }
    }

    /** {@code earliest} (empty), an ISO-8601 instant or offset date-time, a local date-time (UTC) or a date (its start, UTC). */
    static Optional<Instant> parseFrom(String text) {
        String value = text.trim();
        if (value.equalsIgnoreCase("earliest")) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException notOffset) {
            try {
                return Optional.of(LocalDateTime.parse(value).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException notLocal) {
                try {
                    return Optional.of(LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant());
                } catch (DateTimeParseException notDate) {
                    throw new IllegalArgumentException(FROM + " '" + text + "' is not a timestamp: give an ISO-8601 instant "
                            + "(2026-12-01T08:00:00Z), a date (2026-12-01) or 'earliest'");
                }
            }
        }
    }

    private static int replay(TributaryConfig config, Optional<Instant> from, PrintWriter out) throws InterruptedException {
        Deque<AutoCloseable> resources = new ArrayDeque<>();
        try {
            // the store first: with DuckDB a running node holds its file, and that is the clearest thing to report
            AnalyticsStore store = openStore(config);
            resources.push(store);
            store.migrate();
            TributaryNode.Backbone backbone = startBackbone(config, resources);
            StoreReplay replay = StoreReplay.plan(backbone.admin(), SinkDefinition.ALL, from);
            out.printf("replay: %,d records from %s up to the current end offsets into %s (kafka %s)%n", replay.totalRecords(),
                    from.map(Instant::toString).orElse("the earliest retained record"), TributaryNode.describeStore(config), backbone.bootstrap());
            replay.recordsByTopic().forEach((topic, records) -> out.printf("  %-20s %,d%n", topic, records));
            out.flush();
            KafkaProducer<byte[], byte[]> deadLetters = backbone.kafka().producer("tributary-replay-dead-letters", new ByteArraySerializer(),
                    new ByteArraySerializer());
            resources.push(deadLetters);
            StoreReplay.Result result = replay.run(backbone.kafka(), backbone.registry(), store, new DeadLetters(deadLetters),
                    config.sinkBatchRows(), config.sinkLinger(), PROGRESS_EVERY, line -> {
                        out.println("replay: " + line);
                        out.flush();
                    });
            out.printf("replay: done, %,d records (%,d rows written, %,d undecodable records sent to %s) in %.1f s%n", result.records(),
                    result.rows(), result.deadLetters(), DeadLetters.TOPIC, result.elapsed().toMillis() / 1000.0);
            out.flush();
            return 0;
        } finally {
            TributaryNode.closeAll(resources);
        }
    }

    private static AnalyticsStore openStore(TributaryConfig config) {
        try {
            return TributaryNode.openStore(config);
        } catch (StoreUnavailableException e) {
            if (config.store() == StoreKind.DUCKDB && e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("lock")) {
                throw new IllegalStateException("the DuckDB file " + config.duckdbPath() + " is locked by another process, most likely a "
                        + "running node: DuckDB is single-process, so stop the node (or anything else using the file) before replaying into it ("
                        + e.getMessage() + ")", e);
            }
            throw e;
        }
    }

    private static TributaryNode.Backbone startBackbone(TributaryConfig config, Deque<AutoCloseable> resources) {
        int started = resources.size();
        try {
            return TributaryNode.startBackbone(config, resources);
        } catch (RuntimeException e) {
            if (!config.embeddedKafka() || resources.size() != started) {
                throw e; // not the embedded broker's start (it is the first thing pushed), so not a running node on the data dir
            }
            throw new IllegalStateException("cannot start the embedded Kafka broker on " + config.dataDir().resolve("kafka")
                    + ": is a node running on this data dir? The embedded broker lives in the node, so stop it first; replay starts "
                    + "the broker itself (or give " + Setting.KAFKA_BOOTSTRAP.flag() + " of an external Kafka) (" + e.getMessage() + ")", e);
        }
    }
}
