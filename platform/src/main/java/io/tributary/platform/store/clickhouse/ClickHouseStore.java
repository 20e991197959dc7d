package io.tributary.platform.store.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ConnectionInitiationException;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.tributary.platform.store.AnalyticsStore;
import io.tributary.platform.store.BoundQuery;
import io.tributary.platform.store.Migrations;
import io.tributary.platform.store.QueryResult;
import io.tributary.platform.store.SqlText;
import io.tributary.platform.store.StoreColumn;
import io.tributary.platform.store.StoreDialect;
import io.tributary.platform.store.StoreQueryException;
import io.tributary.platform.store.StoreTable;
import io.tributary.platform.store.StoreUnavailableException;
import io.tributary.platform.store.ValueType;
import io.tributary.platform.store.WriteBatch;
import io.tributary.platform.store.WriteMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ClickHouse store, through the official client-v2, written to run on ClickHouse 18.16 (what
 * these machines install) as well as on current releases. What 18.16 requires (DESIGN.md §5):
 * <ul>
 *   <li>Reads send the SQL with {@code FORMAT JSONCompact} appended (18.16 lacks the binary formats
 *       client-v2 would pick) and parse the response with Jackson; the JSON carries the statistics.
 *       {@code output_format_json_quote_64bit_integers=0} keeps 64-bit integers numbers.</li>
 *   <li>The database goes in as the URL parameter {@code database} ({@code serverSetting}):
 *       client-v2's default-database options do not reach 18.16. So pipes name tables unqualified.</li>
 *   <li>No server-side query parameters: {@link ClickHouseLiterals} renders bound values into literals.</li>
 *   <li>Inserts stream JSONEachRow into the database-qualified table, one INSERT per batch.</li>
 *   <li>Responses uncompressed (18.16 sends empty bodies for {@code compress=1}), password always set.</li>
 *   <li>18.16 sends no {@code X-ClickHouse-Exception-Code} header, so client-v2 cannot read its error
 *       text ("&lt;Unreadable error message&gt;"). When that happens to a read or a DDL statement, the
 *       statement is sent once more over plain {@code java.net.http} to read the error body
 *       ({@link ClickHouseErrorText}). That is safe: reads run with {@code readonly=2}, so the server
 *       refuses anything that changes data, and every DDL statement is idempotent. Inserts are never
 *       re-sent; they are checked client-side first ({@link WriteBatch}) so that the server has
 *       little left to reject.</li>
 * </ul>
 * Semantics: ClickHouse has no unique keys. Events go to a ReplacingMergeTree and stats to a
 * ReplacingMergeTree(version); duplicates (replays) and older versions disappear when parts merge,
 * and readers use {@code FINAL} to get that result at query time. Within one batch, duplicates are
 * removed before sending, as DuckDB does.
 *
 * <p>Cluster mode ({@link ClickHouseConfig#cluster()}): the migrations go through {@link ClusterDdl}, so each
 * table is a Distributed table over replicated {@code _local} tables, and the statements below that must
 * reach the data (the purge's mutation, TRUNCATE) go to the local tables {@code ON CLUSTER}. Every
 * statement and insert runs with
 * <ul>
 *   <li>{@code insert_distributed_sync=1}: a Distributed table otherwise acknowledges an insert once the
 *       rows are queued on the node that received it and sends them to the shards later, so a sink would
 *       commit Kafka offsets for rows that a node failure could still lose, and a read right after the
 *       write would not see them. (It waits for one replica per shard; {@code insert_quorum} in the
 *       server's profile makes it wait for more.)</li>
 *   <li>{@code distributed_product_mode=global}: an IN or JOIN subquery over another Distributed table is
 *       evaluated once and sent to every shard (the default, {@code deny}, refuses such queries;
 *       {@code local} would only be right if both tables were sharded alike).</li>
 *   <li>{@code prefer_localhost_replica=0}: the shard on the server that received the query is asked over
 *       TCP like the others. 18.16 fails {@code SELECT a FROM t FINAL ORDER BY a} on a Distributed table
 *       when it reads its own shard in-process ("Cannot find column version in source stream"); over TCP
 *       each shard runs the whole query and it works. It costs a loopback round trip.</li>
 * </ul>
 *
 * <p>Connection refused, timeouts and broken connections → {@link StoreUnavailableException};
 * errors the server reports → {@link StoreQueryException} with the server's text.
 */
public final class ClickHouseStore implements AnalyticsStore {
    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseStore.class);
    private static final String FORMAT = "\nFORMAT JSONCompact";
    private static final Map<String, String> READ_SETTINGS = Map.of("readonly", "2", "output_format_json_quote_64bit_integers", "0");
    private static final Map<String, String> DDL_SETTINGS = Map.of("output_format_json_quote_64bit_integers", "0");
    /** What cluster mode adds to every read, DDL statement and insert (class comment). */
    private static final Map<String, String> CLUSTER_SETTINGS = Map.of("insert_distributed_sync", "1", "distributed_product_mode", "global",
            "prefer_localhost_replica", "0");
    private static final String UNREADABLE = "<Unreadable error message>";
    /** schema_migrations as a table this adapter can insert into. */
    private static final StoreTable MIGRATIONS = new StoreTable("schema_migrations", List.of(
            StoreColumn.required("version", ValueType.STRING),
            StoreColumn.required("applied_at", ValueType.TIMESTAMP)),
            List.of("version"), Optional.empty(), WriteMode.INSERT_IGNORE_EXISTING);

    private final ClickHouseConfig config;
    private final Client client;
    private final ClickHouseErrorText errorText;
    private final Optional<ClusterDdl> cluster;
    private final Map<String, String> readSettings;
    private final Map<String, String> ddlSettings;
    private final Map<String, String> insertSettings;
    private volatile boolean closed;

    /** How long a pooled HTTP connection may stay idle and still be reused: below any server's keep_alive_timeout. */
    static final long IDLE_CONNECTION_MILLIS = 500;

    private ClickHouseStore(ClickHouseConfig config, Client client) {
        this.config = config;
        this.client = client;
        this.errorText = new ClickHouseErrorText(config);
        this.cluster = config.clusterDdl();
        this.readSettings = cluster.isEmpty() ? READ_SETTINGS : merged(READ_SETTINGS, CLUSTER_SETTINGS);
        this.ddlSettings = cluster.isEmpty() ? DDL_SETTINGS : merged(DDL_SETTINGS, CLUSTER_SETTINGS);
        this.insertSettings = cluster.isEmpty() ? Map.of() : CLUSTER_SETTINGS;
    }

    private static Map<String, String> merged(Map<String, String> a, Map<String, String> b) {
        Map<String, String> all = new HashMap<>(a);
        all.putAll(b);
        return Map.copyOf(all);
    }

    /** Creates the client; does not contact the server (see {@link #ping()} and {@link #migrate()}). */
    public static ClickHouseStore open(ClickHouseConfig config) {
        Client client = new Client.Builder()
                .addEndpoint(config.url())
                .setUsername(config.user())
                .setPassword(config.password())
                .compressServerResponse(false)
                .compressClientRequest(false)
                .serverSetting("output_format_json_quote_64bit_integers", "0")
                .setConnectTimeout(config.connectTimeout().toMillis())
                .setSocketTimeout(config.socketTimeout().toMillis())
                // one retry covers a connection that failed before any answer; callers (sinks) retry
                // anything longer themselves
                .setMaxRetries(1)
                // The server closes idle keep-alive connections after keep_alive_timeout (3 s by
                // default, 1 s in the tests' and bench's servers) without telling the pool, and the
                // client does not retry a write on the resulting broken pipe: drop pooled connections
                // before any server would (measured: a bench loader idle > 1 s between inserts failed).
                .setKeepAliveTimeout(IDLE_CONNECTION_MILLIS, ChronoUnit.MILLIS)
                .build();
        return new ClickHouseStore(config, client);
    }

    public ClickHouseConfig config() {
        return config;
    }

    @Override
    public StoreDialect dialect() {
        return StoreDialect.CLICKHOUSE;
    }

    @Override
    public void migrate() {
        migrate(Migrations.load(StoreDialect.CLICKHOUSE, Map.of("database", config.database())));
    }

    /**
     * Applies {@code migrations} (a prefix of the dialect's list, in tests that upgrade an older schema),
     * in their cluster form in cluster mode. There schema_migrations is replicated and Distributed like
     * every table, so the migrations are recorded once for the whole cluster: each statement ran
     * {@code ON CLUSTER}, on every server, so an instance that talks to another server must not run it again.
     */
    void migrate(List<Migrations.Migration> migrations) {
        ensureOpen();
        String run = Long.toString(System.currentTimeMillis(), 36);
        List<Migrations.Migration> forThisStore = cluster.map(c -> c.rewrite(migrations, run)).orElse(migrations);
        Migrations.apply(forThisStore, new Migrations.Target() {
            @Override
            public void execute(String statement) {
                ddl(statement);
            }

            @Override
            public Set<String> appliedVersions() {
                QueryResult result = select("SELECT version FROM " + config.database() + ".schema_migrations FINAL", ddlSettings, false);
                Set<String> versions = new HashSet<>();
                result.rows().forEach(row -> versions.add((String) row.get(0)));
                return versions;
            }

            @Override
            public void recordApplied(String version) {
                insert(MIGRATIONS, List.<Object[]>of(new Object[] {version, Instant.now()}));
            }
        });
    }

    @Override
    public void ping() {
        ensureOpen();
        boolean answered;
        try {
            answered = client.ping(config.connectTimeout().toMillis());
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("ClickHouse at " + config.url() + " did not answer /ping: " + e.getMessage(), e);
        }
        if (!answered) {
            throw new StoreUnavailableException("ClickHouse at " + config.url() + " did not answer /ping", null);
        }
    }

    @Override
    public void write(StoreTable table, List<Object[]> rows) {
        ensureOpen();
        insert(table, rows);
    }

    @Override
    public QueryResult query(BoundQuery query) {
        ensureOpen();
        String sql;
        try {
            String statement = SqlText.singleStatement(query.sql());
            sql = ClickHouseLiterals.render(new BoundQuery(statement, query.params()));
        } catch (IllegalArgumentException e) {
            throw new StoreQueryException(e.getMessage(), e);
        }
        return select(sql, readSettings, true);
    }

    @Override
    public void purgeSupersededVersions(StoreTable table, List<Object[]> rows) {
        ensureOpen();
        String version = table.versionColumn().orElseThrow(() -> new IllegalArgumentException(table.name() + " has no version column"));
        int versionAt = table.indexOf(version);
        List<String> conditions = new java.util.ArrayList<>();
        for (Object[] row : rows) {
            StringBuilder condition = new StringBuilder("(");
            for (String key : table.keyColumns()) {
                condition.append(key).append(" = ").append(ClickHouseLiterals.string((String) row[table.indexOf(key)])).append(" AND ");
            }
            conditions.add(condition.append(version).append(" < ").append((long) row[versionAt]).append(')').toString());
        }
        if (!conditions.isEmpty()) {
            // a mutation rewrites the parts holding those rows, in the background (18.16 has no synchronous mutations)
            onTheData("ALTER TABLE " + config.database() + "." + table.name() + " DELETE WHERE " + String.join(" OR ", conditions));
        }
    }

    @Override
    public void truncate(StoreTable table) {
        ensureOpen();
        onTheData("TRUNCATE TABLE " + config.database() + "." + table.name());
    }

    /** Runs a statement that changes rows in place; in cluster mode on the local tables of every shard, since a Distributed table holds none. */
    private void onTheData(String statement) {
        cluster.map(c -> c.onEveryShard(statement)).orElse(List.of(statement)).forEach(this::ddl);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            client.close();
        }
    }

    // ---- statements

    /** Runs a SELECT (without FORMAT) and parses its JSONCompact answer. */
    @SuppressWarnings("try") // client-v2 declares close() throws Exception; any failure is translated below
    private QueryResult select(String sql, Map<String, String> settings, boolean inDatabase) {
        String statement = sql + FORMAT;
        QuerySettings querySettings = settings(settings, inDatabase);
        try (QueryResponse response = await(client.query(statement, querySettings))) {
            return ClickHouseJson.readJsonCompact(response.getInputStream());
        } catch (Exception e) {
            throw translate("query " + abbreviate(sql), e, Optional.of(new ClickHouseErrorText.Resend(statement, settings, inDatabase)));
        }
    }

    @SuppressWarnings("try") // as in select()
    private void ddl(String statement) {
        try (QueryResponse response = await(client.query(statement, settings(ddlSettings, false)))) {
            response.getInputStream().readAllBytes();
        } catch (Exception e) {
            throw translate("DDL " + abbreviate(statement), e, Optional.of(new ClickHouseErrorText.Resend(statement, ddlSettings, false)));
        }
    }

    @SuppressWarnings("try") // the response is only closed; client-v2 declares close() throws Exception
    private void insert(StoreTable table, List<Object[]> rows) {
        WriteBatch batch = WriteBatch.of(table, rows);
        if (batch.rows().isEmpty()) {
            return;
        }
        byte[] body = ClickHouseJson.jsonEachRow(batch);
        String target = config.database() + "." + table.name();
        List<String> columns = table.columns().stream().map(StoreColumn::name).toList();
        InsertSettings settings = new InsertSettings();
        insertSettings.forEach(settings::serverSetting);
        try (InsertResponse response = await(client.insert(target, columns, new ByteArrayInputStream(body), ClickHouseFormat.JSONEachRow, settings))) {
            LOG.debug("inserted {} rows into {} ({} duplicates dropped)", batch.rows().size(), target, batch.duplicatesDropped());
        } catch (Exception e) {
            // never re-sent: an insert is not idempotent in general and 18.16's error body is all we would gain
            throw translate("inserting " + batch.rows().size() + " rows into " + target, e, Optional.empty());
        }
    }

    private QuerySettings settings(Map<String, String> serverSettings, boolean inDatabase) {
        QuerySettings settings = new QuerySettings();
        serverSettings.forEach(settings::serverSetting);
        if (inDatabase) {
            settings.serverSetting("database", config.database());
        }
        return settings;
    }

    private static <T> T await(Future<T> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    // ---- errors

    private RuntimeException translate(String what, Throwable failure, Optional<ClickHouseErrorText.Resend> resend) {
        Throwable e = failure;
        while ((e instanceof ExecutionException || e instanceof CompletionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof StoreQueryException || e instanceof StoreUnavailableException) {
            return (RuntimeException) e;
        }
        if (e instanceof JsonProcessingException json) {
            // 18.16 streams: an error after the first rows arrives as text inside the JSON body
            return new StoreQueryException("ClickHouse sent an unreadable or interrupted result for " + what + ": " + json.getOriginalMessage(), json);
        }
        if (e instanceof ServerException server) {
            String message = server.getMessage() == null ? "" : server.getMessage();
            if (message.contains(UNREADABLE)) {
                String text = resend.map(errorText::fetch)
                        .orElse("(ClickHouse 18.16 sends no error text that client-v2 can read; HTTP status "
                                + server.getTransportProtocolCode() + ")");
                message = text;
            }
            if (server.getTransportProtocolCode() == 503) {
                return new StoreUnavailableException("ClickHouse at " + config.url() + " unavailable for " + what + ": " + message, server);
            }
            LOG.debug("ClickHouse rejected {}: {}", what, message);
            return new StoreQueryException("ClickHouse rejected " + what + ": " + message, server);
        }
        if (isUnreachable(e)) {
            return new StoreUnavailableException("ClickHouse at " + config.url() + " unreachable for " + what + ": " + rootMessage(e), e);
        }
        return new StoreQueryException("ClickHouse client failed " + what + ": " + rootMessage(e), e);
    }

    /** Connection refused, timeouts, resets, unknown host: the server cannot be reached now. */
    static boolean isUnreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectionInitiationException || t instanceof TimeoutException
                    || (t instanceof IOException && !(t instanceof JsonProcessingException))) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == failure ? String.valueOf(failure.getMessage()) : failure.getMessage() + " (" + root + ")";
    }

    private void ensureOpen() {
        if (closed) {
            throw new StoreUnavailableException("ClickHouse store " + config.url() + " is closed", null);
        }
    }

    static String abbreviate(String sql) {
        String oneLine = sql.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
    }
}
