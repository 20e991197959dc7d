package io.tributary.platform.config;

import io.tributary.platform.store.duckdb.DuckDbStore;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one typed configuration of a Tributary process, built from {@link SettingValues}.
 * {@link #describe()} renders it for the start-up log with secrets masked.
 */
public record TributaryConfig(
        Path dataDir,
        String httpHost,
        int httpPort,
        int kafkaPort,
        Optional<String> kafkaBootstrap,
        Optional<URI> schemaRegistryUrl,
        Optional<String> schemaRegistryAuth,
        StoreKind store,
        Path duckdbPath,
        DuckDbStore.Tuning duckdb,
        URI clickhouseUrl,
        String clickhouseUser,
        String clickhousePassword,
        String clickhouseDatabase,
        Optional<String> clickhouseCluster,
        Optional<String> adminToken,
        int partitions,
        short replicationFactor,
        long maxBodyBytes,
        Duration waitTimeout,
        int sinkBatchRows,
        Duration sinkLinger,
        Duration dedupRetention,
        Duration snapshotTtl,
        Duration piiScrubWithin,
        Uploads uploads,
        Writes writes,
        int webhookAttempts,
        Duration idempotencyRetention,
        SettingValues sources) {

    /** Limits of seed 004's customer upload: body bytes, customers per upload, and each key's token bucket (rate per minute, burst). */
    public record Uploads(long maxBytes, int maxCustomers, int ratePerMinute, int burst) {
    }

    /** Each token's bucket for the write routes (POST, PUT, PATCH, DELETE; the upload has its own): rate per second, burst. */
    public record Writes(int ratePerSecond, int burst) {
    }

    public static TributaryConfig from(SettingValues v) {
        Path dataDir = Path.of(v.text(Setting.DATA_DIR)).toAbsolutePath().normalize();
        StoreKind store = parseStore(v.text(Setting.STORE));
        String database = v.text(Setting.CLICKHOUSE_DATABASE);
        if (!database.matches("[A-Za-z_][A-Za-z0-9_]{0,63}")) {
            throw new ConfigException(Setting.CLICKHOUSE_DATABASE.flag() + " must be an identifier ([A-Za-z_][A-Za-z0-9_]*), got '" + database + "'");
        }
        Optional<String> cluster = v.optional(Setting.CLICKHOUSE_CLUSTER);
        if (cluster.isPresent() && !cluster.get().matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new ConfigException(Setting.CLICKHOUSE_CLUSTER.flag() + " must be an identifier ([A-Za-z_][A-Za-z0-9_]*), got '" + cluster.get() + "'");
        }
        Duration linger = v.optional(Setting.SINK_LINGER_MS)
                .map(s -> Duration.ofMillis(v.integer(Setting.SINK_LINGER_MS, 1, 600_000)))
                .orElse(Duration.ofMillis(store == StoreKind.CLICKHOUSE ? 500 : 200));
        return new TributaryConfig(
                dataDir,
                v.text(Setting.HTTP_HOST),
                v.integer(Setting.HTTP_PORT, 0, 65535),
                v.integer(Setting.KAFKA_PORT, 0, 65535),
                v.optional(Setting.KAFKA_BOOTSTRAP),
                v.optional(Setting.SCHEMA_REGISTRY_URL).map(u -> uri(Setting.SCHEMA_REGISTRY_URL, u)),
                v.optional(Setting.SCHEMA_REGISTRY_AUTH),
                store,
                v.optional(Setting.DUCKDB_PATH).map(Path::of).orElse(dataDir.resolve("tributary.duckdb")).toAbsolutePath(),
                new DuckDbStore.Tuning(v.integer(Setting.DUCKDB_CHECKPOINT_MB, 1, 1_048_576), v.integer(Setting.DUCKDB_MEMORY_MB, 64, 16_777_216)),
                uri(Setting.CLICKHOUSE_URL, v.text(Setting.CLICKHOUSE_URL)),
                v.text(Setting.CLICKHOUSE_USER),
                v.text(Setting.CLICKHOUSE_PASSWORD),
                database,
                cluster,
                v.optional(Setting.ADMIN_TOKEN),
                v.integer(Setting.PARTITIONS, 1, 10_000),
                (short) v.integer(Setting.REPLICATION_FACTOR, 1, 10),
                v.longValue(Setting.MAX_BODY_BYTES, 1024, 1L << 31),
                Duration.ofMillis(v.integer(Setting.WAIT_TIMEOUT_MS, 0, 600_000)),
                v.integer(Setting.SINK_BATCH_ROWS, 1, 10_000_000),
                linger,
                Duration.ofHours(v.integer(Setting.DEDUP_RETENTION_HOURS, 1, 24 * 366)),
                Duration.ofSeconds(v.integer(Setting.SNAPSHOT_TTL_SECONDS, 0, 24 * 3600)),
                Duration.ofSeconds(v.integer(Setting.PII_SCRUB_SECONDS, 1, 30 * 24 * 3600)),
                new Uploads(v.longValue(Setting.UPLOAD_MAX_BYTES, 1024, 1L << 31), v.integer(Setting.UPLOAD_MAX_CUSTOMERS, 1, 1_000_000),
                        v.integer(Setting.UPLOAD_RATE_PER_MINUTE, 1, 1_000_000), v.integer(Setting.UPLOAD_BURST, 1, 1_000_000)),
                new Writes(v.integer(Setting.WRITE_RATE_PER_SECOND, 1, 1_000_000), v.integer(Setting.WRITE_BURST, 1, 1_000_000)),
                v.integer(Setting.WEBHOOK_ATTEMPTS, 1, 20),
                Duration.ofHours(v.integer(Setting.IDEMPOTENCY_RETENTION_HOURS, 1, 24 * 30)),
                v);
    }

    private static StoreKind parseStore(String s) {
        try {
            return StoreKind.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Setting.STORE.flag() + " must be duckdb or clickhouse, got '" + s + "'");
        }
    }

    private static URI uri(Setting s, String text) {
        try {
            URI uri = URI.create(text);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(s.flag() + " must be a URL like http://host:port, got '" + text + "'");
        }
    }

    /** Whether this process runs the embedded broker (no external bootstrap given). */
    public boolean embeddedKafka() {
        return kafkaBootstrap.isEmpty();
    }

    /** Whether this process serves the embedded schema registry (no external URL given). */
    public boolean embeddedRegistry() {
        return schemaRegistryUrl.isEmpty();
    }

    /** One line per setting: key, value (secrets masked) and where it came from. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (Setting s : Setting.values()) {
            String value = sources.text(s);
            String shown = s.secret() ? (value.isEmpty() ? "(not set)" : "****") : (value.isEmpty() ? "(empty)" : value);
            lines.add(String.format("%-22s %-40s [%s]", s.key(), shown, sources.source(s).name().toLowerCase(Locale.ROOT)));
        }
        return lines;
    }
}
