package io.tributary.platform.store.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.platform.store.AnalyticsStore;
import io.tributary.platform.store.BoundQuery;
import io.tributary.platform.store.Migrations;
import io.tributary.platform.store.QueryParam;
import io.tributary.platform.store.QueryResult;
import io.tributary.platform.store.QueryResult.QueryStatistics;
import io.tributary.platform.store.QueryResult.ResultColumn;
import io.tributary.platform.store.SqlText;
import io.tributary.platform.store.StoreColumn;
import io.tributary.platform.store.StoreDialect;
import io.tributary.platform.store.StoreQueryException;
import io.tributary.platform.store.StoreTable;
import io.tributary.platform.store.StoreUnavailableException;
import io.tributary.platform.store.WriteBatch;
import io.tributary.platform.store.WriteMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Collectors;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.duckdb.ProfilerPrintFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store: one DuckDB database file (or {@code :memory:}).
 *
 * <p>Each table has its own writer connection and lock: DuckDB runs transactions of one process
 * concurrently and only conflicts when two of them change the same rows, which one writer per table
 * rules out. So the events sink never waits behind the customer_stats upserts (measured: with one
 * shared writer, marker events waited seconds behind them under load). Rows are checked and
 * deduplicated ({@link WriteBatch}), bulk-loaded with the Appender into a connection-private TEMP
 * staging table, then moved into the real table in one transaction — {@code INSERT OR IGNORE} for
 * events, {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE excluded.version > version} for upserts —
 * which also drops the staging table. It is created afresh for every batch because DuckDB's DELETE
 * and TRUNCATE only mark rows deleted: a staging table that was emptied and reused kept every row
 * ever staged, and each merge scanned them all (measured: a 1,000-row write took 240 ms after
 * 3,000,000 rows had passed through, 25 ms with a fresh table). Migrations run on a separate
 * connection and exclude table writes.
 *
 * <p>Reads use their own connections ({@link DuckDBConnection#duplicate()}, pooled), so pipes run
 * while sinks write; each read runs in a transaction that is always rolled back, and a statement
 * that returns no result set is refused, so {@link #query} cannot change data (ClickHouse enforces
 * the same with {@code readonly=2}). Each read connection has DuckDB's profiler on with only the
 * cumulative-rows-scanned metric: measured here its overhead on a per-customer query is within the
 * run-to-run noise (0–10%), and it gives {@code rows_read}. DuckDB has no counterpart of
 * ClickHouse's bytes_read (its TOTAL_BYTES_READ counts only storage reads that missed the buffer
 * cache, usually 0), so {@code bytes_read} is reported as 0.
 */
public final class DuckDbStore implements AnalyticsStore {
    private static final Logger LOG = LoggerFactory.getLogger(DuckDbStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MEMORY = ":memory:";
    private static final String STAGING_PREFIX = "staging_";
    /**
     * How the embedded database is sized: {@code checkpointMb}, the write-ahead log size (MiB) at
     * which DuckDB checkpoints; {@code memoryLimitMb}, its buffer pool (MiB), beyond which it spills
     * to a temporary file beside the database or fails the query.
     *
     * <p>A checkpoint blocks every commit while it writes the changed row groups and the ART
     * indexes, and its cost has a large part that grows with the table, not with the changes since
     * the last one: fewer, larger checkpoints stall less in all. Measured in 10-minute soaks at
     * 17.8k events/s on 2 cores (bench --soak): 1 GiB stalled up to 11 s every ~7 minutes with a
     * p99 of about 1 s in the minutes between; 256 MiB stalled every ~1.5 minutes, and the p99 of
     * every minute was 4-16 s; DuckDB's own 16 MiB stalled every ~10 s. The cost of 1 GiB is a
     * larger log to replay after a crash (a clean close checkpoints). Without a memory limit
     * DuckDB's pool may take 80% of RAM; it holds the cached table and the changes not yet
     * checkpointed.
     */
    public record Tuning(int checkpointMb, int memoryLimitMb) {
        public static final int DEFAULT_CHECKPOINT_MB = 1024;
        public static final int DEFAULT_MEMORY_LIMIT_MB = 2048;
        public static final Tuning DEFAULT = new Tuning(DEFAULT_CHECKPOINT_MB, DEFAULT_MEMORY_LIMIT_MB);

        public Tuning {
            if (checkpointMb < 1) {
                throw new IllegalArgumentException("checkpointMb must be at least 1, got " + checkpointMb);
            }
            if (memoryLimitMb < 64) {
                throw new IllegalArgumentException("memoryLimitMb must be at least 64, got " + memoryLimitMb);
            }
        }
    }

    /**
     * Tables whose primary key is a 128-bit hash of their {@link StoreTable#keyColumns()} (migration
     * 018 says why) rather than the columns themselves: the column the hash is stored in.
     */
    private static final Map<String, String> HASHED_KEYS = Map.of("customer_events", "event_key");

    private final String location;
    private final DuckDBConnection origin;
    private final DuckDBConnection writer;
    /** Read-held by table writes, write-held by migrations and close. */
    private final ReentrantReadWriteLock schemaLock = new ReentrantReadWriteLock();
    private final Map<String, TableWriter> tableWriters = new ConcurrentHashMap<>();
    private final ConcurrentLinkedDeque<DuckDBConnection> idleReaders = new ConcurrentLinkedDeque<>();
    private final Set<DuckDBConnection> readers = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private DuckDbStore(String location, DuckDBConnection origin, DuckDBConnection writer) {
        this.location = location;
        this.origin = origin;
        this.writer = writer;
    }

    /** Opens (creating if needed) the database file at {@code path}; {@code ":memory:"} gives a private in-memory database. */
    public static DuckDbStore open(String path) {
        return open(path, Tuning.DEFAULT);
    }

    /** As {@link #open(String)}, with the checkpoint threshold and memory limit of {@code tuning}. */
    public static DuckDbStore open(String path, Tuning tuning) {
        try {
            String url = "jdbc:duckdb:";
            if (!MEMORY.equals(path)) {
                Path file = Path.of(path).toAbsolutePath();
                if (file.getParent() != null) {
                    Files.createDirectories(file.getParent());
                }
                url += file;
            }
            // origin only hands out duplicates; statements run on the writer and the readers
            DuckDBConnection origin = (DuckDBConnection) DriverManager.getConnection(url);
            try (Statement settings = origin.createStatement()) {
                settings.execute("SET checkpoint_threshold = '" + tuning.checkpointMb() + "MiB'");
                settings.execute("SET memory_limit = '" + tuning.memoryLimitMb() + "MiB'");
            }
            DuckDBConnection writer = origin.duplicate();
            LOG.debug("opened DuckDB store {}", path);
            return new DuckDbStore(path, origin, writer);
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot open DuckDB database " + path + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of DuckDB database " + path, e);
        }
    }

    public static DuckDbStore open(Path file) {
        return open(file.toString());
    }

    @Override
    public StoreDialect dialect() {
        return StoreDialect.DUCKDB;
    }

    @Override
    public void migrate() {
        List<Migrations.Migration> migrations = Migrations.load(StoreDialect.DUCKDB, Map.of());
        schemaLock.writeLock().lock();
        try {
            ensureOpen();
            Migrations.apply(migrations, new WriterTarget());
        } finally {
            schemaLock.writeLock().unlock();
        }
    }

    @Override
    public void ping() {
        query(BoundQuery.of("SELECT 1"));
    }

    @Override
    public void write(StoreTable table, List<Object[]> rows) {
        WriteBatch batch = WriteBatch.of(table, rows);
        if (batch.rows().isEmpty()) {
            return;
        }
        TableWriter w = lockTableWriter(table);
        try {
            DuckDBConnection connection = w.connection();
            String staging = createStaging(connection, table);
            try {
                append(connection, staging, table, batch);
                connection.setAutoCommit(false);
                try (Statement s = connection.createStatement()) {
                    s.execute(mergeSql(table, staging));
                    s.execute("DROP TABLE temp.main." + quote(staging));
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                dropStaging(connection, staging);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
            if (batch.duplicatesDropped() > 0) {
                LOG.debug("{}: {} duplicate rows of the batch dropped before writing", table.name(), batch.duplicatesDropped());
            }
        } catch (SQLException e) {
            throw translate("writing " + batch.rows().size() + " rows to " + table.name(), e);
        } finally {
            unlock(w);
        }
    }

    @Override
    public QueryResult query(BoundQuery query) {
        String sql;
        try {
            sql = SqlText.singleStatement(query.sql());
        } catch (IllegalArgumentException e) {
            throw new StoreQueryException(e.getMessage(), e);
        }
        ensureOpen();
        DuckDBConnection reader = borrowReader();
        try {
            long started = System.nanoTime();
            List<ResultColumn> columns = new ArrayList<>();
            List<List<Object>> rows = new ArrayList<>();
            try (PreparedStatement ps = reader.prepareStatement(sql)) {
                int expected = ps.getParameterMetaData().getParameterCount();
                if (expected != query.params().size()) {
                    throw new StoreQueryException("DuckDB sees " + expected + " placeholders in the query but "
                            + query.params().size() + " parameters were bound", null);
                }
                for (int i = 0; i < query.params().size(); i++) {
                    bind(reader, ps, i + 1, query.params().get(i));
                }
                if (!ps.execute()) {
                    throw new StoreQueryException("query() runs read-only statements; this one returned no rows: "
                            + abbreviate(sql), null);
                }
                try (ResultSet rs = ps.getResultSet()) {
                    ResultSetMetaData meta = rs.getMetaData();
                    int n = meta.getColumnCount();
                    String[] duckTypes = new String[n];
                    for (int c = 1; c <= n; c++) {
                        duckTypes[c - 1] = meta.getColumnTypeName(c);
                        columns.add(new ResultColumn(meta.getColumnLabel(c), DuckDbValues.typeName(duckTypes[c - 1])));
                    }
                    while (rs.next()) {
                        Object[] row = new Object[n];
                        for (int c = 1; c <= n; c++) {
                            row[c - 1] = DuckDbValues.value(rs, c, duckTypes[c - 1]);
                        }
                        rows.add(Collections.unmodifiableList(Arrays.asList(row)));
                    }
                }
            }
            double elapsed = (System.nanoTime() - started) / 1e9;
            return new QueryResult(columns, rows, new QueryStatistics(elapsed, rowsScanned(reader), 0));
        } catch (SQLException e) {
            throw translate("running query " + abbreviate(sql), e);
        } finally {
            returnReader(reader);
        }
    }

    @Override
    public void truncate(StoreTable table) {
        TableWriter w = lockTableWriter(table);
        try (Statement s = w.connection().createStatement()) {
            s.execute("DELETE FROM " + quote(table.name()));
        } catch (SQLException e) {
            throw translate("emptying " + table.name(), e);
        } finally {
            unlock(w);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        schemaLock.writeLock().lock();
        try {
            tableWriters.values().forEach(w -> w.close());
            closeQuietly(writer);
        } finally {
            schemaLock.writeLock().unlock();
        }
        DuckDBConnection idle;
        while ((idle = idleReaders.pollFirst()) != null) {
            readers.remove(idle);
            closeQuietly(idle);
        }
        closeQuietly(origin);
        LOG.debug("closed DuckDB store {}", location);
    }

    // ---- writes

    /** One table's writer: its own connection (opened on first use) and lock. */
    private static final class TableWriter {
        final ReentrantLock lock = new ReentrantLock();
        private DuckDBConnection connection;

        DuckDBConnection connection() {
            return connection;
        }

        void close() {
            lock.lock();
            try {
                if (connection != null) {
                    closeQuietly(connection);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Locks {@code table}'s writer (opening its connection on first use); release with {@link #unlock}. */
    private TableWriter lockTableWriter(StoreTable table) {
        TableWriter w = tableWriters.computeIfAbsent(table.name(), name -> new TableWriter());
        schemaLock.readLock().lock();
        w.lock.lock();
        try {
            ensureOpen();
            if (w.connection == null) {
                synchronized (origin) {
                    w.connection = origin.duplicate();
                }
            }
            return w;
        } catch (SQLException e) {
            unlock(w);
            throw translate("opening the writer connection of " + table.name(), e);
        } catch (RuntimeException e) {
            unlock(w);
            throw e;
        }
    }

    private void unlock(TableWriter w) {
        w.lock.unlock();
        schemaLock.readLock().unlock();
    }

    /** Creates an empty TEMP staging table for one batch of {@code table}, with its columns in write order. */
    private static String createStaging(DuckDBConnection connection, StoreTable table) throws SQLException {
        String staging = STAGING_PREFIX + table.name();
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE OR REPLACE TEMP TABLE " + quote(staging) + " AS SELECT " + columnList(table)
                    + " FROM " + quote(table.name()) + " LIMIT 0");
        }
        return staging;
    }

    /** The staging tables that exist on the writer connections now (none between writes); for tests. */
    List<String> stagingTablesLeft() {
        List<String> left = new ArrayList<>();
        for (TableWriter w : tableWriters.values()) {
            if (w.connection() == null) {
                continue;
            }
            w.lock.lock();
            try (Statement s = w.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT table_name FROM duckdb_tables() WHERE temporary AND table_name LIKE '"
                         + STAGING_PREFIX + "%'")) {
                while (rs.next()) {
                    left.add(rs.getString(1));
                }
            } catch (SQLException e) {
                throw translate("listing staging tables", e);
            } finally {
                w.lock.unlock();
            }
        }
        return left;
    }

    private static void append(DuckDBConnection connection, String staging, StoreTable table, WriteBatch batch) throws SQLException {
        List<StoreColumn> columns = table.columns();
        try (DuckDBAppender appender = connection.createAppender("temp", "main", staging)) {
            for (List<Object> row : batch.rows()) {
                appender.beginRow();
                for (int c = 0; c < columns.size(); c++) {
                    appendValue(appender, columns.get(c), row.get(c));
                }
                appender.endRow();
            }
        }
    }

    private static void appendValue(DuckDBAppender appender, StoreColumn column, Object value) throws SQLException {
        if (value == null) {
            appender.appendNull();
            return;
        }
        switch (column.type()) {
            case STRING -> appender.append((String) value);
            case INT32 -> appender.append((int) (Integer) value);
            case INT64 -> appender.append((long) (Long) value);
            case FLOAT64 -> appender.append((double) (Double) value);
            case DECIMAL -> appender.append((BigDecimal) value);
            // the Appender takes TIMESTAMP only as epoch micros; WriteBatch already truncated to seconds
            case TIMESTAMP -> appender.appendEpochMicros(Math.multiplyExact(((Instant) value).getEpochSecond(), 1_000_000L));
            case DATE -> appender.append((LocalDate) value);
            case BOOLEAN -> appender.append((boolean) (Boolean) value);
            case STRING_ARRAY, INT64_ARRAY -> appender.append((List<?>) value);
        }
    }

    static String mergeSql(StoreTable table, String staging) {
        String columns = columnList(table);
        String hashedKey = HASHED_KEYS.get(table.name());
        if (hashedKey != null) {
            return "INSERT OR IGNORE INTO " + quote(table.name()) + " (" + quote(hashedKey) + ", " + columns + ") SELECT "
                    + keyHashSql(table.keyColumns()) + ", " + columns + " FROM temp.main." + quote(staging);
        }
        String insert = "INSERT INTO " + quote(table.name()) + " (" + columns + ") SELECT " + columns
                + " FROM temp.main." + quote(staging);
        if (table.mode() == WriteMode.INSERT_IGNORE_EXISTING) {
            return "INSERT OR IGNORE" + insert.substring("INSERT".length());
        }
        String version = table.versionColumn().orElseThrow();
        String updates = table.columns().stream()
                .map(StoreColumn::name)
                .filter(c -> !table.keyColumns().contains(c))
                .map(c -> quote(c) + " = excluded." + quote(c))
                .collect(Collectors.joining(", "));
        return insert + " ON CONFLICT (" + table.keyColumns().stream().map(DuckDbStore::quote).collect(Collectors.joining(", "))
                + ") DO UPDATE SET " + updates
                + " WHERE excluded." + quote(version) + " > " + quote(table.name()) + "." + quote(version);
    }

    private static void dropStaging(DuckDBConnection connection, String staging) {
        try (Statement s = connection.createStatement()) {
            s.execute("DROP TABLE IF EXISTS temp.main." + quote(staging));
        } catch (SQLException e) {
            LOG.warn("cannot drop DuckDB staging table {}: {}", staging, e.getMessage());
        }
    }

    // ---- reads

    private DuckDBConnection borrowReader() {
        DuckDBConnection reader = idleReaders.pollFirst();
        if (reader != null) {
            return reader;
        }
        try {
            DuckDBConnection created;
            synchronized (origin) {
                created = origin.duplicate();
            }
            try (Statement s = created.createStatement()) {
                s.execute("PRAGMA enable_profiling = 'no_output'");
                s.execute("SET custom_profiling_settings = '{\"CUMULATIVE_ROWS_SCANNED\": \"true\"}'");
            }
            created.setAutoCommit(false);
            readers.add(created);
            return created;
        } catch (SQLException e) {
            throw translate("opening a DuckDB read connection", e);
        }
    }

    private void returnReader(DuckDBConnection reader) {
        try {
            reader.rollback();
        } catch (SQLException e) {
            // a rollback that fails leaves the connection in an unknown state: do not reuse it
            readers.remove(reader);
            closeQuietly(reader);
            return;
        }
        if (closed) {
            readers.remove(reader);
            closeQuietly(reader);
        } else {
            idleReaders.offerFirst(reader);
        }
    }

    private static long rowsScanned(DuckDBConnection reader) {
        try {
            JsonNode profile = JSON.readTree(reader.getProfilingInformation(ProfilerPrintFormat.JSON));
            return profile.path("cumulative_rows_scanned").asLong(0);
        } catch (SQLException | IOException e) {
            LOG.debug("no DuckDB profiling information: {}", e.getMessage());
            return 0;
        }
    }

    private static void bind(DuckDBConnection connection, PreparedStatement ps, int index, QueryParam param) throws SQLException {
        Object value = param.value();
        switch (param.type()) {
            case STRING -> ps.setString(index, (String) value);
            case INT32 -> ps.setInt(index, (Integer) value);
            case INT64 -> ps.setLong(index, (Long) value);
            case FLOAT64 -> ps.setDouble(index, (Double) value);
            case DECIMAL -> ps.setBigDecimal(index, decimalParam((BigDecimal) value));
            // truncated and range-checked exactly as ClickHouse's literal renderer does
            case TIMESTAMP -> ps.setObject(index, LocalDateTime.ofInstant(timestampParam((Instant) value), ZoneOffset.UTC));
            case DATE -> ps.setObject(index, (LocalDate) value);
            case BOOLEAN -> ps.setBoolean(index, (Boolean) value);
            case STRING_ARRAY -> ps.setArray(index, connection.createArrayOf("VARCHAR", ((List<?>) value).toArray()));
            case INT64_ARRAY -> ps.setArray(index, connection.createArrayOf("BIGINT", ((List<?>) value).toArray()));
        }
    }

    private static BigDecimal decimalParam(BigDecimal value) {
        // a negative scale (1E+3) means an integer; DuckDB and ClickHouse both want scale >= 0
        return value.scale() < 0 ? value.setScale(0) : value;
    }

    private static Instant timestampParam(Instant value) {
        try {
            return WriteBatch.timestamp(value);
        } catch (IllegalArgumentException e) {
            throw new StoreQueryException("TIMESTAMP parameter " + e.getMessage(), e);
        }
    }

    // ---- helpers

    private void ensureOpen() {
        if (closed) {
            throw new StoreUnavailableException("DuckDB store " + location + " is closed", null);
        }
    }

    private RuntimeException translate(String what, SQLException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (closed || message.contains("Connection Error") || message.contains("database has been invalidated")
                || message.contains("connection has been closed") || message.contains("Connection was closed")) {
            return new StoreUnavailableException("DuckDB " + location + " unavailable while " + what + ": " + message, e);
        }
        return new StoreQueryException("DuckDB failed " + what + ": " + message, e);
    }

    /** md5_number over the key columns, each but the last prefixed by its length so that no two keys concatenate alike. */
    static String keyHashSql(List<String> keyColumns) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < keyColumns.size(); i++) {
            String column = quote(keyColumns.get(i));
            if (i > 0) {
                text.append(" || ");
            }
            text.append(i < keyColumns.size() - 1 ? "strlen(" + column + ")::VARCHAR || ':' || " + column : column);
        }
        return "md5_number(" + text + ")";
    }

    private static String columnList(StoreTable table) {
        return table.columns().stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static String abbreviate(String sql) {
        String oneLine = sql.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
    }

    private static void rollbackQuietly(DuckDBConnection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed: {}", e.getMessage());
        }
    }

    private static void closeQuietly(DuckDBConnection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("closing a DuckDB connection failed: {}", e.getMessage());
        }
    }

    /** Migrations against the writer connection; each file and its record commit together. */
    private final class WriterTarget implements Migrations.Target {
        @Override
        public void execute(String statement) {
            try (Statement s = writer.createStatement()) {
                s.execute(statement);
            } catch (SQLException e) {
                throw translate("running migration statement " + abbreviate(statement), e);
            }
        }

        @Override
        public Set<String> appliedVersions() {
            Set<String> versions = new HashSet<>();
            try (Statement s = writer.createStatement(); ResultSet rs = s.executeQuery("SELECT version FROM schema_migrations")) {
                while (rs.next()) {
                    versions.add(rs.getString(1));
                }
            } catch (SQLException e) {
                throw translate("reading schema_migrations", e);
            }
            return versions;
        }

        @Override
        public void recordApplied(String version) {
            try (PreparedStatement ps = writer.prepareStatement("INSERT OR IGNORE INTO schema_migrations (version, applied_at) VALUES (?, ?)")) {
                ps.setString(1, version);
                ps.setObject(2, LocalDateTime.now(ZoneOffset.UTC).withNano(0));
                ps.executeUpdate();
            } catch (SQLException e) {
                throw translate("recording migration " + version, e);
            }
        }

        @Override
        public void atomically(Runnable work) {
            try {
                writer.setAutoCommit(false);
                try {
                    work.run();
                    writer.commit();
                } catch (RuntimeException e) {
                    rollbackQuietly(writer);
                    throw e;
                } finally {
                    writer.setAutoCommit(true);
                }
            } catch (SQLException e) {
                throw translate("committing a migration", e);
            }
        }
    }
}
