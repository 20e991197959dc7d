package io.tributary.platform.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.platform.store.Migrations;
import io.tributary.platform.store.StoreDialect;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The cluster form of every shipped ClickHouse migration; ClickHouseClusterIT runs it on a real cluster. */
class ClusterDdlTest {
    private static final ClusterDdl DDL = new ClusterDdl("tc");
    private static final List<Migrations.Migration> SINGLE = Migrations.load(StoreDialect.CLICKHOUSE, Map.of("database", "db"));
    private static final List<Migrations.Migration> CLUSTER = DDL.rewrite(SINGLE, "r1");
    private static final Pattern CREATE = Pattern.compile("CREATE TABLE (?:IF NOT EXISTS )?db\\.(\\w+) ON CLUSTER tc .*", Pattern.DOTALL);

    private static List<String> statements(String version) {
        return CLUSTER.stream().filter(m -> m.version().equals(version)).findFirst().orElseThrow().statements();
    }

    @Test
    void everyFileKeepsItsVersionAndEveryStatementRunsOnTheCluster() {
        assertThat(CLUSTER).extracting(Migrations.Migration::version).isEqualTo(SINGLE.stream().map(Migrations.Migration::version).toList());
        List<String> all = CLUSTER.stream().flatMap(m -> m.statements().stream()).toList();
        // the only statement that is not DDL, 008's copy, reads and writes through the Distributed tables
        assertThat(all).filteredOn(s -> !s.startsWith("INSERT")).allSatisfy(s -> assertThat(s).contains(" ON CLUSTER tc"));
        assertThat(all).filteredOn(s -> s.startsWith("INSERT")).singleElement().asString()
                .startsWith("INSERT INTO db.customer_events_yearly\n").endsWith("FROM db.customer_events");
        assertThat(all).noneMatch(s -> s.contains("--")); // comments are dropped, not carried into the rewritten SQL
    }

    @Test
    void everyCreatedTableIsAReplicatedLocalTableBehindADistributedOne() {
        List<String> creates = CLUSTER.stream().flatMap(m -> m.statements().stream()).filter(s -> s.startsWith("CREATE TABLE")).toList();
        // 000, 001, 002, 004, 005, 006, 008, 009, 011, 015, 016, 017 create a table each; 008's RENAME recreates two
        // Distributed tables, the five ALTERs that add columns (003, 010, 012, 013, 014) one each
        assertThat(creates).hasSize(12 * 2 + 2 + 5);
        assertThat(creates).filteredOn(c -> c.contains("_local ON CLUSTER")).hasSize(12);
        for (String create : creates) {
            Matcher name = CREATE.matcher(create);
            assertThat(name.matches()).as(create).isTrue();
            String table = name.group(1);
            if (table.endsWith("_local")) {
                String suffix = create.startsWith("CREATE TABLE IF NOT EXISTS") ? "" : "-r1";
                assertThat(create).contains(" ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/db/" + table + suffix + "', '{replica}'");
            } else {
                assertThat(create).contains(" AS db." + table + "_local ENGINE = Distributed(tc, db, " + table + "_local, cityHash64(");
            }
        }
    }

    @Test
    void tablesAreShardedByCustomerWhereTheirSortingKeyHasOneElseByTheWholeSortingKey() {
        Map<String, String> expected = Map.ofEntries(
                Map.entry("schema_migrations", "cityHash64(version)"),
                Map.entry("customer_events", "cityHash64(workspace_id, customer_id)"),
                Map.entry("customer_stats", "cityHash64(workspace_id, customer_id)"),
                Map.entry("customer_profiles", "cityHash64(workspace_id, customer_id)"),
                Map.entry("customer_segments", "cityHash64(workspace_id, segment_id)"),
                Map.entry("segment_members", "cityHash64(workspace_id, customer_id)"),
                Map.entry("customer_events_yearly", "cityHash64(workspace_id, customer_id)"),
                Map.entry("customer_insights", "cityHash64(workspace_id, insight_id)"),
                Map.entry("customers", "cityHash64(workspace_id, id)"),
                Map.entry("customer_metrics", "cityHash64(workspace_id, external_id)"),
                Map.entry("health_scores", "cityHash64(workspace_id, external_id)"),
                Map.entry("notifications", "cityHash64(workspace_id, notification_id)"));
        expected.forEach((table, key) -> assertThat(CLUSTER.stream().flatMap(m -> m.statements().stream()))
                .as(table).anyMatch(s -> s.endsWith(" ENGINE = Distributed(tc, db, " + table + "_local, " + key + ")")));
    }

    @Test
    void engineArgumentsFollowThePathAndReplicaAndTheRestOfTheTableStays() {
        List<String> stats = statements("002_customer_stats.sql");
        assertThat(stats).hasSize(2);
        assertThat(stats.get(0)).startsWith("CREATE TABLE IF NOT EXISTS db.customer_stats_local ON CLUSTER tc (\n    workspace_id          String,")
                .contains("ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/db/customer_stats_local', '{replica}', version)\n"
                        + "ORDER BY (workspace_id, customer_id)");
        assertThat(stats.get(1)).isEqualTo("CREATE TABLE IF NOT EXISTS db.customer_stats ON CLUSTER tc AS db.customer_stats_local"
                + " ENGINE = Distributed(tc, db, customer_stats_local, cityHash64(workspace_id, customer_id))");
        // an engine without arguments gets just the path and replica; PARTITION BY and SETTINGS stay; a plain CREATE
        // (a rebuild, which may run again after its RENAME moved the table on the old path) gets a path of its own run
        assertThat(statements("008_customer_events_by_year.sql").get(4))
                .contains("ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/db/customer_events_yearly_local-r1', '{replica}')\n"
                        + "PARTITION BY toYear(event_timestamp)")
                .endsWith("SETTINGS index_granularity = 1024");
    }

    @Test
    void bookkeepingCreatesTheDatabaseOnEveryServerAndAReplicatedMigrationsTable() {
        assertThat(statements("000_schema_migrations.sql")).extracting(ClusterDdlTest::oneLine).containsExactly(
                "CREATE DATABASE IF NOT EXISTS db ON CLUSTER tc",
                "CREATE TABLE IF NOT EXISTS db.schema_migrations_local ON CLUSTER tc ( version String, applied_at DateTime('UTC') )"
                        + " ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/db/schema_migrations_local', '{replica}') ORDER BY version",
                "CREATE TABLE IF NOT EXISTS db.schema_migrations ON CLUSTER tc AS db.schema_migrations_local"
                        + " ENGINE = Distributed(tc, db, schema_migrations_local, cityHash64(version))");
    }

    @Test
    void addedColumnsReachTheLocalTablesAndTheDistributedTableIsRebuiltOverThem() {
        assertThat(statements("013_customers_email_sha256.sql")).containsExactly(
                "ALTER TABLE db.customers_local ON CLUSTER tc ADD COLUMN email_sha256 Nullable(String)",
                "DROP TABLE IF EXISTS db.customers ON CLUSTER tc",
                "CREATE TABLE db.customers ON CLUSTER tc AS db.customers_local ENGINE = Distributed(tc, db, customers_local, cityHash64(workspace_id, id))");
        assertThat(statements("003_customer_stats_aggregates.sql")).hasSize(3);
        assertThat(statements("003_customer_stats_aggregates.sql").get(0)).startsWith("ALTER TABLE db.customer_stats_local ON CLUSTER tc ADD COLUMN session_count")
                .contains("ADD COLUMN lifetime_value Nullable(Decimal(18, 4))");
    }

    @Test
    void theYearlyCopyRenamesLocalTablesAndRebuildsTheDistributedOnesOverThem() {
        List<String> s = statements("008_customer_events_by_year.sql");
        assertThat(s.subList(0, 4)).containsExactly(
                "DROP TABLE IF EXISTS db.customer_events_monthly ON CLUSTER tc",
                "DROP TABLE IF EXISTS db.customer_events_monthly_local ON CLUSTER tc",
                "DROP TABLE IF EXISTS db.customer_events_yearly ON CLUSTER tc",
                "DROP TABLE IF EXISTS db.customer_events_yearly_local ON CLUSTER tc");
        assertThat(s.get(4)).startsWith("CREATE TABLE db.customer_events_yearly_local ON CLUSTER tc (");
        assertThat(s.get(5)).startsWith("CREATE TABLE db.customer_events_yearly ON CLUSTER tc AS db.customer_events_yearly_local ENGINE = Distributed(");
        assertThat(s.subList(7, s.size())).containsExactly(
                "RENAME TABLE db.customer_events_local TO db.customer_events_monthly_local, "
                        + "db.customer_events_yearly_local TO db.customer_events_local ON CLUSTER tc",
                "DROP TABLE IF EXISTS db.customer_events ON CLUSTER tc",
                "DROP TABLE IF EXISTS db.customer_events_monthly ON CLUSTER tc",
                "DROP TABLE IF EXISTS db.customer_events_yearly ON CLUSTER tc",
                "CREATE TABLE db.customer_events_monthly ON CLUSTER tc AS db.customer_events_monthly_local"
                        + " ENGINE = Distributed(tc, db, customer_events_monthly_local, cityHash64(workspace_id, customer_id))",
                "CREATE TABLE db.customer_events ON CLUSTER tc AS db.customer_events_local"
                        + " ENGINE = Distributed(tc, db, customer_events_local, cityHash64(workspace_id, customer_id))",
                "DROP TABLE db.customer_events_monthly ON CLUSTER tc",
                "DROP TABLE db.customer_events_monthly_local ON CLUSTER tc");
    }

    @Test
    void theStoresMutationsAndTruncatesGoToTheLocalTablesOfEveryShard() {
        assertThat(DDL.onEveryShard("ALTER TABLE db.customers DELETE WHERE (workspace_id = 'w, x' AND id = 'c') AND version < 3")).containsExactly(
                "ALTER TABLE db.customers_local ON CLUSTER tc DELETE WHERE (workspace_id = 'w, x' AND id = 'c') AND version < 3");
        assertThat(DDL.onEveryShard("TRUNCATE TABLE db.customer_events")).containsExactly("TRUNCATE TABLE db.customer_events_local ON CLUSTER tc");
    }

    @Test
    void whatItDoesNotKnowIsRefusedNotGuessed() {
        assertThatThrownBy(() -> DDL.rewrite(List.of(new Migrations.Migration("x.sql", List.of("OPTIMIZE TABLE db.customers FINAL"))), "r1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x.sql: cluster mode cannot translate");
        assertThatThrownBy(() -> DDL.rewrite(List.of(new Migrations.Migration("x.sql",
                List.of("CREATE TABLE db.t (a String) ENGINE = Memory"))), "r1"))
                .hasMessageStartingWith("x.sql: cluster mode needs CREATE TABLE ... ENGINE = <a non-replicated *MergeTree>");
        // a column change needs the sharding key of the table's CREATE, which a lone statement lacks
        assertThatThrownBy(() -> DDL.onEveryShard("ALTER TABLE db.t ADD COLUMN x String")).hasMessageContaining("no earlier CREATE TABLE");
        assertThatThrownBy(() -> DDL.onEveryShard("DROP TABLE db.t")).hasMessageContaining("only ALTER TABLE and TRUNCATE TABLE");
        assertThatThrownBy(() -> DDL.rewrite(SINGLE, "r-1")).hasMessageContaining("letters and digits");
        assertThatThrownBy(() -> new ClusterDdl("tc; DROP")).hasMessageContaining("identifier");
    }

    private static String oneLine(String sql) {
        return sql.replaceAll("\\s+", " ");
    }

    @Test
    void theShardingKeyPrefersTheCustomerAndHashesWholeKeysOtherwise() {
        assertThat(ClusterDdl.shardingKey(List.of("workspace_id", "segment_id", "customer_id"))).isEqualTo("cityHash64(workspace_id, customer_id)");
        assertThat(ClusterDdl.shardingKey(List.of("external_id", "metric_date"))).isEqualTo("cityHash64(external_id)");
        assertThat(ClusterDdl.shardingKey(List.of("toDate(at)", "id"))).isEqualTo("cityHash64(toDate(at), id)");
    }
}
