package io.tributary.platform.store.clickhouse;

import io.tributary.platform.store.Migrations;
import io.tributary.platform.store.SqlText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the single-server ClickHouse DDL of {@code ddl/clickhouse/} into the DDL of a cluster
 * ({@code --clickhouse-cluster NAME}), so that both modes come from the same files. Each table
 * {@code T} of a file becomes
 * <ul>
 *   <li>{@code T_local}, created {@code ON CLUSTER} with the Replicated variant of its engine
 *       ({@code ReplacingMergeTree(version)} → {@code ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/db/T_local',
 *       '{replica}', version)}): the data, one part of it per shard, copied to every replica of that shard;</li>
 *   <li>{@code T} itself, {@code ENGINE = Distributed(NAME, db, T_local, key)}: no data, it fans reads
 *       out to one replica of every shard and routes each inserted row to the shard its key hashes to.
 *       Reads and writes keep naming {@code T}, so no other code changes.</li>
 * </ul>
 *
 * <p>The sharding key is always a function of the table's sorting key (its ORDER BY), because
 * ReplacingMergeTree folds duplicates and older versions, and {@code FINAL} reads them away, only
 * within one shard: every version of a row must land on the same shard. Within that rule the key is
 * the customer: {@code cityHash64(workspace_id, customer_id)} (or {@code external_id}, the uploaded
 * customer's id) where the sorting key has that column, so that one customer's events, stats and
 * memberships sit together and a per-customer read asks one shard's worth of rows. Tables keyed by
 * something else (segments, insights, customers by id, notifications, schema_migrations) hash their
 * whole sorting key: still one shard per row, and spread evenly. {@code rand()} would scatter a row's
 * versions over shards, where neither merges nor FINAL could fold them.
 *
 * <p>Statements, as the files use them (anything else is refused, not guessed at):
 * <ul>
 *   <li>{@code CREATE DATABASE} → the same {@code ON CLUSTER};</li>
 *   <li>{@code CREATE TABLE} → the local table and the Distributed table above;</li>
 *   <li>{@code ALTER TABLE T} → the same on {@code T_local ON CLUSTER}; when it changes columns, the
 *       Distributed {@code T} is dropped and created again from the altered local table (ClickHouse
 *       18.16 refuses {@code ALTER ... ON CLUSTER} on a Distributed table when the cluster's shards have
 *       {@code internal_replication}; a Distributed table holds no data, so recreating it loses nothing
 *       while inserts are synchronous, see {@link ClickHouseStore});</li>
 *   <li>{@code DROP TABLE T} → the Distributed {@code T}, then {@code T_local}, both {@code ON CLUSTER};</li>
 *   <li>{@code RENAME TABLE A TO B, ...} → the local tables are renamed {@code ON CLUSTER}; the
 *       Distributed tables name their local table in their engine, so those of every name involved are
 *       dropped and each target's is created anew over its renamed local table;</li>
 *   <li>{@code TRUNCATE TABLE T} → {@code T_local ON CLUSTER};</li>
 *   <li>{@code INSERT INTO T SELECT ... FROM S} → unchanged: it reads every shard through the
 *       Distributed {@code S} and writes through the Distributed {@code T}, which routes each row by the
 *       same key as before.</li>
 * </ul>
 * Tables created through this class are remembered per {@link #rewrite(List, String)} call (their sharding
 * keys), which a RENAME or a column change needs later in the same list.
 *
 * <p>ZooKeeper paths: {@code CREATE TABLE IF NOT EXISTS T} gets {@code /clickhouse/tables/{shard}/db/T_local},
 * the same on every run, so that running it again (000's bookkeeping runs at every start) lets a server
 * that lacks the table, e.g. a replica added to the cluster later, join its shard's existing replicas. A
 * plain {@code CREATE TABLE} (008's copy, which its file drops first) gets a path unique to the run,
 * {@code .../T_local-<run>}, as current ClickHouse does with {@code {uuid}} (18.16 has no such macro): a
 * renamed table keeps its path, so after 008 renamed {@code customer_events_yearly_local}, a repeated
 * 008 would otherwise create the new copy on the path the live table still uses, which ClickHouse
 * refuses ("Table structure in ZooKeeper is too different").
 *
 * @param cluster the cluster's name in the servers' {@code <remote_servers>}; a plain identifier
 */
public record ClusterDdl(String cluster) {
    /** The suffix of the tables that hold the data. */
    public static final String LOCAL = "_local";
    /** Columns that name the customer a row belongs to, in order of preference. */
    private static final List<String> CUSTOMER_COLUMNS = List.of("customer_id", "external_id");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.DOTALL;
    private static final String NAME = "(\\w+)\\.(\\w+)";
    private static final Pattern CREATE_DATABASE = Pattern.compile("CREATE\\s+DATABASE\\s+(IF\\s+NOT\\s+EXISTS\\s+)?(\\w+)", FLAGS);
    private static final Pattern CREATE_TABLE = Pattern.compile("CREATE\\s+TABLE\\s+(IF\\s+NOT\\s+EXISTS\\s+)?" + NAME + "\\s*\\(", FLAGS);
    private static final Pattern ENGINE = Pattern.compile("\\s*ENGINE\\s*=\\s*(\\w+)", FLAGS);
    private static final Pattern ORDER_BY = Pattern.compile("\\bORDER\\s+BY\\s+", FLAGS);
    private static final Pattern ORDER_BY_END = Pattern.compile("\\s(PARTITION\\s+BY|PRIMARY\\s+KEY|SAMPLE\\s+BY|TTL|SETTINGS)\\s", FLAGS);
    private static final Pattern ALTER_TABLE = Pattern.compile("ALTER\\s+TABLE\\s+" + NAME + "\\s+(.+)", FLAGS);
    private static final Pattern COLUMN_CHANGE = Pattern.compile("(ADD|DROP|MODIFY|RENAME)\\s+COLUMN\\b.*", FLAGS);
    private static final Pattern DROP_TABLE = Pattern.compile("DROP\\s+TABLE\\s+(IF\\s+EXISTS\\s+)?" + NAME, FLAGS);
    private static final Pattern RENAME_TABLE = Pattern.compile("RENAME\\s+TABLE\\s+(.+)", FLAGS);
    private static final Pattern RENAME_PAIR = Pattern.compile(NAME + "\\s+TO\\s+" + NAME, FLAGS);
    private static final Pattern TRUNCATE_TABLE = Pattern.compile("TRUNCATE\\s+TABLE\\s+(IF\\s+EXISTS\\s+)?" + NAME, FLAGS);
    private static final Pattern INSERT = Pattern.compile("INSERT\\s+INTO\\s.+", FLAGS);

    public ClusterDdl {
        if (cluster == null || !IDENTIFIER.matcher(cluster).matches()) {
            throw new IllegalArgumentException("ClickHouse cluster must be an identifier ([A-Za-z_][A-Za-z0-9_]*), got '" + cluster + "'");
        }
    }

    /**
     * The cluster form of {@code migrations}, file by file, in order (same versions, rewritten statements).
     *
     * @param run different for every run of the migrations (see the class comment on ZooKeeper paths);
     *            letters and digits
     */
    public List<Migrations.Migration> rewrite(List<Migrations.Migration> migrations, String run) {
        if (!run.matches("[A-Za-z0-9]+")) {
            throw new IllegalArgumentException("run must be letters and digits, got '" + run + "'");
        }
        Map<String, String> shardingKeys = new HashMap<>();
        List<Migrations.Migration> rewritten = new ArrayList<>();
        for (Migrations.Migration migration : migrations) {
            List<String> statements = new ArrayList<>();
            for (String statement : migration.statements()) {
                try {
                    statements.addAll(rewrite(statement, shardingKeys, run));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(migration.version() + ": " + e.getMessage(), e);
                }
            }
            rewritten.add(new Migrations.Migration(migration.version(), statements));
        }
        return rewritten;
    }

    /**
     * The cluster form of a statement that changes rows in place, which the store runs on its own: an
     * {@code ALTER TABLE ... DELETE/UPDATE} mutation or a {@code TRUNCATE}; other statements are refused.
     */
    public List<String> onEveryShard(String statement) {
        String sql = SqlText.withoutComments(statement).strip();
        if (!ALTER_TABLE.matcher(sql).matches() && !TRUNCATE_TABLE.matcher(sql).matches()) {
            throw new IllegalArgumentException("only ALTER TABLE and TRUNCATE TABLE go to every shard: " + ClickHouseStore.abbreviate(sql));
        }
        return rewrite(sql, Map.of(), "");
    }

    private List<String> rewrite(String statement, Map<String, String> shardingKeys, String run) {
        String sql = SqlText.withoutComments(statement).strip();
        Matcher m;
        if ((m = CREATE_DATABASE.matcher(sql)).matches()) {
            return List.of("CREATE DATABASE " + ifPresent(m.group(1)) + m.group(2) + onCluster());
        }
        if ((m = CREATE_TABLE.matcher(sql)).lookingAt()) {
            return createTable(sql, m, shardingKeys, run);
        }
        if ((m = ALTER_TABLE.matcher(sql)).matches()) {
            return alterTable(m.group(1), m.group(2), m.group(3), shardingKeys);
        }
        if ((m = DROP_TABLE.matcher(sql)).matches()) {
            String ifExists = ifPresent(m.group(1));
            return List.of("DROP TABLE " + ifExists + m.group(2) + "." + m.group(3) + onCluster(),
                    "DROP TABLE " + ifExists + m.group(2) + "." + m.group(3) + LOCAL + onCluster());
        }
        if ((m = RENAME_TABLE.matcher(sql)).matches()) {
            return renameTables(m.group(1), shardingKeys);
        }
        if ((m = TRUNCATE_TABLE.matcher(sql)).matches()) {
            return List.of("TRUNCATE TABLE " + ifPresent(m.group(1)) + m.group(2) + "." + m.group(3) + LOCAL + onCluster());
        }
        if (INSERT.matcher(sql).matches()) {
            return List.of(sql);
        }
        throw new IllegalArgumentException("cluster mode cannot translate this statement (only CREATE DATABASE, CREATE TABLE, "
                + "ALTER TABLE, DROP TABLE, RENAME TABLE, TRUNCATE TABLE and INSERT are known): " + ClickHouseStore.abbreviate(sql));
    }

    private List<String> createTable(String sql, Matcher head, Map<String, String> shardingKeys, String run) {
        String database = head.group(2);
        String table = head.group(3);
        int open = head.end() - 1;
        int close = SqlText.closingParenthesis(sql, open);
        String columns = sql.substring(open, close + 1);
        String rest = sql.substring(close + 1);
        Matcher engine = ENGINE.matcher(rest);
        if (!engine.lookingAt() || !engine.group(1).endsWith("MergeTree") || engine.group(1).startsWith("Replicated")) {
            throw new IllegalArgumentException("cluster mode needs CREATE TABLE ... ENGINE = <a non-replicated *MergeTree>: " + ClickHouseStore.abbreviate(sql));
        }
        String arguments = "";
        String tail = rest.substring(engine.end());
        if (tail.stripLeading().startsWith("(")) {
            int argumentsOpen = tail.indexOf('(');
            int argumentsClose = SqlText.closingParenthesis(tail, argumentsOpen);
            String inside = tail.substring(argumentsOpen + 1, argumentsClose).strip();
            arguments = inside.isEmpty() ? "" : ", " + inside;
            tail = tail.substring(argumentsClose + 1);
        }
        String key = shardingKey(sortingKey(tail, sql));
        String local = table + LOCAL;
        String ifNotExists = ifPresent(head.group(1));
        String zooKeeperPath = "/clickhouse/tables/{shard}/" + database + "/" + local + (ifNotExists.isEmpty() ? "-" + run : "");
        shardingKeys.put(database + "." + table, key);
        return List.of(
                "CREATE TABLE " + ifNotExists + database + "." + local + onCluster() + " " + columns
                        + " ENGINE = Replicated" + engine.group(1) + "('" + zooKeeperPath + "', '{replica}'" + arguments + ")" + tail,
                distributed(ifNotExists, database, table, key));
    }

    private List<String> alterTable(String database, String table, String actions, Map<String, String> shardingKeys) {
        List<String> statements = new ArrayList<>();
        statements.add("ALTER TABLE " + database + "." + table + LOCAL + onCluster() + " " + actions);
        boolean changesColumns = SqlText.splitTopLevelCommas(actions).stream().anyMatch(a -> COLUMN_CHANGE.matcher(a).matches());
        if (changesColumns) {
            String key = knownKey(shardingKeys, database, table);
            statements.add("DROP TABLE IF EXISTS " + database + "." + table + onCluster());
            statements.add(distributed("", database, table, key));
        }
        return statements;
    }

    private List<String> renameTables(String pairsText, Map<String, String> shardingKeys) {
        Map<String, String> targets = new LinkedHashMap<>(); // "db.target" -> sharding key of its source
        List<String> localPairs = new ArrayList<>();
        List<String> distributedNames = new ArrayList<>();
        for (String pair : SqlText.splitTopLevelCommas(pairsText)) {
            Matcher m = RENAME_PAIR.matcher(pair);
            if (!m.matches()) {
                throw new IllegalArgumentException("cluster mode needs RENAME TABLE db.a TO db.b[, ...], got: " + pair);
            }
            localPairs.add(m.group(1) + "." + m.group(2) + LOCAL + " TO " + m.group(3) + "." + m.group(4) + LOCAL);
            targets.put(m.group(3) + "." + m.group(4), knownKey(shardingKeys, m.group(1), m.group(2)));
            distributedNames.add(m.group(1) + "." + m.group(2));
            distributedNames.add(m.group(3) + "." + m.group(4));
        }
        List<String> statements = new ArrayList<>();
        statements.add("RENAME TABLE " + String.join(", ", localPairs) + onCluster());
        distributedNames.stream().distinct().forEach(name -> statements.add("DROP TABLE IF EXISTS " + name + onCluster()));
        targets.forEach((name, key) -> {
            int dot = name.indexOf('.');
            statements.add(distributed("", name.substring(0, dot), name.substring(dot + 1), key));
        });
        shardingKeys.putAll(targets);
        return statements;
    }

    private String distributed(String ifNotExists, String database, String table, String key) {
        return "CREATE TABLE " + ifNotExists + database + "." + table + onCluster() + " AS " + database + "." + table + LOCAL
                + " ENGINE = Distributed(" + cluster + ", " + database + ", " + table + LOCAL + ", " + key + ")";
    }

    private static String knownKey(Map<String, String> shardingKeys, String database, String table) {
        String key = shardingKeys.get(database + "." + table);
        if (key == null) {
            throw new IllegalArgumentException("cluster mode cannot recreate the Distributed table " + database + "." + table
                    + ": no earlier CREATE TABLE of it tells its sharding key");
        }
        return key;
    }

    /** The expressions of the ORDER BY in the part of a CREATE TABLE after the engine. */
    private static List<String> sortingKey(String tail, String sql) {
        Matcher orderBy = ORDER_BY.matcher(tail);
        if (!orderBy.find()) {
            throw new IllegalArgumentException("cluster mode needs the table's ORDER BY for its sharding key: " + ClickHouseStore.abbreviate(sql));
        }
        String from = tail.substring(orderBy.end());
        if (from.startsWith("(")) {
            return SqlText.splitTopLevelCommas(from.substring(1, SqlText.closingParenthesis(from, 0)));
        }
        Matcher end = ORDER_BY_END.matcher(from);
        return List.of((end.find() ? from.substring(0, end.start()) : from).strip());
    }

    /** See the class comment: the customer when the sorting key names one, else the whole sorting key. */
    static String shardingKey(List<String> sortingKey) {
        Set<String> columns = Set.copyOf(sortingKey.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList());
        return CUSTOMER_COLUMNS.stream().filter(columns::contains).findFirst()
                .map(customer -> "cityHash64(" + (columns.contains("workspace_id") ? "workspace_id, " : "") + customer + ")")
                .orElse("cityHash64(" + String.join(", ", sortingKey) + ")");
    }

    private String onCluster() {
        return " ON CLUSTER " + cluster;
    }

    private static String ifPresent(String clause) {
        return clause == null ? "" : clause.strip().replaceAll("\\s+", " ") + " ";
    }
}
