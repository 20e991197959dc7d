package io.tributary.platform.config;

import io.tributary.platform.store.duckdb.DuckDbStore;
import java.util.Locale;

/**
 * Every setting Tributary reads, in one list: each is a CLI flag ({@code --data-dir}), an
 * environment variable ({@code TRIBUTARY_DATA_DIR}) and a key in the optional config file
 * ({@code data-dir=...}). Precedence: flag, then environment, then file, then default.
 * Deployment files are checked against this list so they cannot drift from the code.
 */
public enum Setting {
    CONFIG("config", "", "Properties file with settings (keys are the flag names without --)", false),
    DATA_DIR("data-dir", "./data", "Directory of the embedded broker log, DuckDB file and stream state", false),
    HTTP_HOST("http-host", "0.0.0.0", "Address the HTTP server binds", false),
    HTTP_PORT("http-port", "8080", "HTTP port (write routes, read routes, /schema-registry, /metrics)", false),
    KAFKA_PORT("kafka-port", "9092", "Port of the embedded Kafka broker (loopback only)", false),
    KAFKA_BOOTSTRAP("kafka-bootstrap", "", "External Kafka bootstrap servers; empty = run the embedded broker", false),
    SCHEMA_REGISTRY_URL("schema-registry-url", "", "External Confluent-API schema registry URL; empty = the embedded registry", false),
    SCHEMA_REGISTRY_AUTH("schema-registry-auth", "", "Credentials for the external registry: user:password (basic) or a bearer token", true),
    STORE("store", "duckdb", "Analytics store: duckdb (embedded) or clickhouse", false),
    DUCKDB_PATH("duckdb-path", "", "DuckDB database file; empty = <data-dir>/tributary.duckdb", false),
    DUCKDB_CHECKPOINT_MB("duckdb-checkpoint-mb", String.valueOf(DuckDbStore.Tuning.DEFAULT_CHECKPOINT_MB), "Write-ahead log size (MiB) at which DuckDB checkpoints; a checkpoint stalls writes", false),
    DUCKDB_MEMORY_MB("duckdb-memory-mb", String.valueOf(DuckDbStore.Tuning.DEFAULT_MEMORY_LIMIT_MB), "DuckDB's memory limit (MiB): its buffer pool, beyond which it spills to disk", false),
    CLICKHOUSE_URL("clickhouse-url", "http://127.0.0.1:8123", "ClickHouse HTTP endpoint", false),
    CLICKHOUSE_USER("clickhouse-user", "default", "ClickHouse user", false),
    CLICKHOUSE_PASSWORD("clickhouse-password", "", "ClickHouse password", true),
    CLICKHOUSE_DATABASE("clickhouse-database", "tributary", "ClickHouse database (created by the migrations)", false),
    CLICKHOUSE_CLUSTER("clickhouse-cluster", "", "ClickHouse cluster (a <remote_servers> name): replicated *_local tables behind Distributed ones, sharded by customer; needs ZooKeeper or Keeper; empty = one server", false),
    ADMIN_TOKEN("admin-token", "", "Admin token; empty = generate one at first start and print it once", true),
    PARTITIONS("partitions", "6", "Partitions of the event topics when Tributary creates them", false),
    REPLICATION_FACTOR("replication-factor", "1", "Replication factor of the topics Tributary creates", false),
    MAX_BODY_BYTES("max-body-bytes", "10485760", "Largest request body accepted (413 above)", false),
    WAIT_TIMEOUT_MS("wait-timeout-ms", "10000", "How long wait=true and read-your-writes wait for the sink", false),
    SINK_BATCH_ROWS("sink-batch-rows", "50000", "Rows per store write at most", false),
    SINK_LINGER_MS("sink-linger-ms", "", "Longest a row waits in a sink batch; empty = 200 (duckdb) or 500 (clickhouse: fewer, larger inserts)", false),
    DEDUP_RETENTION_HOURS("dedup-retention-hours", "168", "How long the stats topology remembers event ids to drop replays", false),
    SNAPSHOT_TTL_SECONDS("snapshot-ttl-seconds", "30", "How long heavy customer reads (journey, attribution) are served from a snapshot", false),
    PII_SCRUB_SECONDS("pii-scrub-seconds", "3600", "Longest a customer's scrubbed PII stays in older versions of the customers topic (its compaction lag)", false),
    UPLOAD_MAX_BYTES("upload-max-bytes", "268435456", "Largest body of a customer upload (POST /api/v1/customers; 413 above)", false),
    UPLOAD_MAX_CUSTOMERS("upload-max-customers", "10000", "Most customers in one upload (400 above)", false),
    UPLOAD_RATE_PER_MINUTE("upload-rate-per-minute", "60", "Uploads a key may make per minute, on average (429 with Retry-After above)", false),
    UPLOAD_BURST("upload-burst", "10", "Uploads a key may make at once before the per-minute rate applies (its token bucket's size)", false),
    WRITE_RATE_PER_SECOND("write-rate-per-second", "200", "Writes (POST, PUT, PATCH, DELETE) a token may make per second, on average, upload excepted (429 with Retry-After above)", false),
    WRITE_BURST("write-burst", "400", "Writes a token may make at once before the per-second rate applies (its token bucket's size)", false),
    WEBHOOK_ATTEMPTS("webhook-attempts", "6", "Deliveries tried per notification webhook call (backoff 1 s, doubling, at most 60 s)", false),
    IDEMPOTENCY_RETENTION_HOURS("idempotency-retention-hours", "24", "How long the answer to a POST with an Idempotency-Key is replayed to its retries", false);

    private final String key;
    private final String defaultValue;
    private final String description;
    private final boolean secret;

    Setting(String key, String defaultValue, String description, boolean secret) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
        this.secret = secret;
    }

    /** The flag name without dashes and the config-file key. */
    public String key() {
        return key;
    }

    public String flag() {
        return "--" + key;
    }

    public String envVar() {
        return "TRIBUTARY_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** Secrets are never printed or logged. */
    public boolean secret() {
        return secret;
    }
}
