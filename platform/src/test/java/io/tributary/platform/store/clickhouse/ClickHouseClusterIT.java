package io.tributary.platform.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.platform.store.BoundQuery;
import io.tributary.platform.store.Migrations;
import io.tributary.platform.store.QueryParam;
import io.tributary.platform.store.StoreDialect;
import io.tributary.platform.store.StoreTable;
import io.tributary.platform.store.StoreTables;
import io.tributary.platform.testing.ClickHouseCluster;
import io.tributary.platform.testing.ClickHouseServer;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cluster mode ({@code --clickhouse-cluster}) on a real cluster: ZooKeeper and two clickhouse-server
 * processes (two shards, ClickHouseCluster), the migrations run through {@link ClusterDdl}, and the whole
 * store contract run against the Distributed tables; plus what only a cluster shows: the engines on
 * every server, each customer's rows on exactly one shard, subqueries across Distributed tables, the
 * purge's mutation reaching the shards, and a second instance on the other server finding every
 * migration applied. Skipped, with the reason, where there is no clickhouse-server binary.
 */
class ClickHouseClusterIT extends ClickHouseContract {
    private ClickHouseCluster cluster;
    private String database;

    /** Started by the first test (not in @BeforeAll, so that a missing binary reports every test as skipped). */
    @BeforeEach
    void open() {
        if (store == null) {
            cluster = ClickHouseCluster.startOrSkip(2);
            database = cluster.servers().get(0).newDatabase("cluster_it");
            store = cluster.store(0, database);
            store.migrate();
        }
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** name → engine of the database's tables on {@code server}. */
    private Map<String, String> engines(ClickHouseServer server) {
        Map<String, String> engines = new TreeMap<>();
        server.execute("SELECT name, engine FROM system.tables WHERE database = '" + database + "' FORMAT TSV").lines()
                .map(line -> line.split("\t")).forEach(f -> engines.put(f[0], f[1]));
        return engines;
    }

    @Test
    void everyServerHasEveryTableAsAReplicatedLocalTableBehindADistributedOne() {
        Map<String, String> expected = new TreeMap<>();
        List<String> tables = new ArrayList<>(StoreTables.ALL.stream().map(StoreTable::name).toList());
        tables.add("schema_migrations");
        tables.forEach(table -> {
            expected.put(table, "Distributed");
            expected.put(table + ClusterDdl.LOCAL, "ReplicatedReplacingMergeTree");
        });
        for (ClickHouseServer server : cluster.servers()) {
            // exactly these: 008's copies (customer_events_monthly, _yearly) are gone, locally and as Distributed tables
            assertThat(engines(server)).as(server.url()).isEqualTo(expected);
            assertThat(server.execute("SELECT engine_full FROM system.tables WHERE database = '" + database + "' AND name = 'customer_events'"))
                    .contains("Distributed(" + cluster.name() + ", " + database + ", customer_events_local, cityHash64(workspace_id, customer_id))");
            // every replica reached ZooKeeper (a replica without it is read-only)
            assertThat(server.execute("SELECT count() FROM system.replicas WHERE database = '" + database + "' AND NOT is_readonly").strip())
                    .isEqualTo(String.valueOf(tables.size()));
        }
    }

    @Test
    void eachCustomersRowsLiveOnExactlyOneShardAndReadBackWholeThroughTheDistributedTable() {
        String ws = "ws_shards";
        List<Object[]> rows = new ArrayList<>();
        IntStream.range(0, 60).forEach(i -> rows.add(event(ws, "e" + i, "c" + (i % 12), i % 3 == 0 ? "purchase" : "page_view",
                T0.plusSeconds(i), BigDecimal.valueOf(i), 1, i % 2 == 0)));
        store.write(EVENTS, rows);
        store.write(EVENTS, rows.subList(0, 30)); // a replayed batch, folded by FINAL on the shard that holds it

        assertThat(query("SELECT customer_id, count() FROM customer_events FINAL WHERE workspace_id = ? GROUP BY customer_id ORDER BY customer_id",
                QueryParam.string(ws)).rows()).hasSize(12).allSatisfy(row -> assertThat(row.get(1)).isEqualTo(5L));
        Set<String> seen = new HashSet<>();
        for (ClickHouseServer server : cluster.servers()) {
            List<String> here = server.execute("SELECT DISTINCT customer_id FROM " + database + ".customer_events_local WHERE workspace_id = '"
                    + ws + "' FORMAT TSV").lines().toList();
            assertThat(here).as("customers on " + server.url()).isNotEmpty();
            assertThat(here).as("customers on two shards").noneMatch(seen::contains);
            seen.addAll(here);
        }
        assertThat(seen).hasSize(12);
    }

    @Test
    void subqueriesOverAnotherDistributedTableAnswerAcrossShards() {
        String ws = "ws_subquery";
        store.write(EVENTS, IntStream.range(0, 40).mapToObj(i -> event(ws, "s" + i, "c" + (i % 8), "page_view", T0.plusSeconds(i), null, null, false))
                .toList());
        store.write(STATS, List.of(
                statsRow(ws, "c1", 1, Map.of("page_view", 5L), 0, 0, "0", T0, T0, null, null),
                statsRow(ws, "c2", 1, Map.of("page_view", 5L), 0, 0, "0", T0, T0, null, null),
                statsRow(ws, "c5", 1, Map.of("page_view", 5L), 0, 0, "0", T0, T0, null, null)));
        // without distributed_product_mode=global, 18.16 refuses this ("Double-distributed IN/JOIN subqueries is denied")
        assertThat(count("workspace_id = ? AND customer_id IN (SELECT customer_id FROM customer_stats WHERE workspace_id = ?)",
                QueryParam.string(ws), QueryParam.string(ws))).isEqualTo(15L);
        assertThat(query("SELECT count() FROM customer_events FINAL ANY INNER JOIN (SELECT customer_id FROM customer_stats FINAL "
                + "WHERE workspace_id = ?) USING customer_id WHERE workspace_id = ?", QueryParam.string(ws), QueryParam.string(ws))
                .rows().get(0).get(0)).isEqualTo(15L);
    }

    @Test
    void purgingSupersededVersionsReachesTheShardThatHoldsThem() throws InterruptedException {
        String ws = "ws_purge";
        Object[] v1 = statsRow(ws, "c1", 1, Map.of("page_view", 1L), 0, 0, "0", T0, T0, null, null);
        Object[] v2 = statsRow(ws, "c1", 2, Map.of("page_view", 2L), 0, 0, "0", T0, T0.plusSeconds(1), null, null);
        Object[] other = statsRow(ws, "c2", 1, Map.of("page_view", 1L), 0, 0, "0", T0, T0, null, null);
        store.write(STATS, List.of(v1, other));
        store.write(STATS, List.<Object[]>of(v2));

        store.purgeSupersededVersions(STATS, List.<Object[]>of(v2));

        // a merge may fold v1 away by itself, so the proof that the purge reached the data is its mutation on
        // every shard's local table (a mutation of the Distributed table would have failed); mutations run in
        // the background
        String mutations = "SELECT countIf(is_done) FROM system.mutations WHERE database = '" + database
                + "' AND table = 'customer_stats_local' AND command LIKE '%ws_purge%'";
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (cluster.servers().stream().anyMatch(server -> !server.execute(mutations).strip().equals("1")) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(cluster.servers()).allSatisfy(server -> assertThat(server.execute(mutations).strip()).isEqualTo("1"));
        assertThat(query("SELECT customer_id, version FROM customer_stats WHERE workspace_id = ? ORDER BY customer_id", QueryParam.string(ws))
                .rows()).containsExactly(List.of("c1", 2L), List.of("c2", 1L));
    }

    @Test
    void migration008RunsAgainAfterItsRenameKeepingEveryEvent() {
        String again = cluster.servers().get(0).newDatabase("cluster_008");
        List<Migrations.Migration> all = Migrations.load(StoreDialect.CLICKHOUSE, Map.of("database", again));
        List<String> versions = all.stream().map(Migrations.Migration::version).toList();
        Migrations.Migration copy = all.get(versions.indexOf("008_customer_events_by_year.sql"));
        try (ClickHouseStore upTo008 = cluster.store(0, again)) {
            upTo008.migrate(all.subList(0, versions.indexOf(copy.version()) + 1));
            StoreTable eventsV1 = new StoreTable(EVENTS.name(), EVENTS.columns().subList(0, 16), EVENTS.keyColumns(), EVENTS.versionColumn(),
                    EVENTS.mode());
            upTo008.write(eventsV1, IntStream.range(0, 20).mapToObj(i -> java.util.Arrays.copyOf(
                    event("ws_again", "a" + i, "c" + (i % 5), "page_view", T0.plusSeconds(i), null, null, false), 16)).toList());
            // as if the first run had stopped after its RENAME, before recording 008: the copy is made again while the
            // renamed table still holds the ZooKeeper path the first run gave it
            upTo008.migrate(List.of(all.get(0), all.get(1), new Migrations.Migration("008_again", copy.statements())));
            assertThat(upTo008.query(new BoundQuery("SELECT count() FROM customer_events FINAL", List.of())).rows().get(0).get(0)).isEqualTo(20L);
        }
    }

    private static final long MIGRATIONS = Migrations.load(StoreDialect.CLICKHOUSE, Map.of("database", "db")).size();

    @Test
    void anInstanceOnTheOtherServerFindsEveryMigrationAppliedOnceForTheCluster() {
        Map<String, String> before = engines(cluster.servers().get(1));
        try (ClickHouseStore other = cluster.store(1, database)) {
            other.migrate(); // would fail if it ran the ALTERs again: ClickHouse has no ADD COLUMN IF NOT EXISTS before 19.x
            assertThat(other.query(new BoundQuery("SELECT count(), uniqExact(version) FROM schema_migrations", List.of()))
                    .rows().get(0)).containsExactly(MIGRATIONS, MIGRATIONS);
        }
        assertThat(engines(cluster.servers().get(1))).isEqualTo(before);
        long recorded = cluster.servers().stream().mapToLong(server -> Long.parseLong(server.execute(
                "SELECT count() FROM " + database + ".schema_migrations_local").strip())).sum();
        assertThat(recorded).as("each version recorded once, on one shard").isEqualTo(MIGRATIONS);
    }
}
