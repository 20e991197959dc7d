package io.tributary.query.pipes;

import io.tributary.platform.store.AnalyticsStore;
import io.tributary.platform.store.clickhouse.ClickHouseStore;
import io.tributary.platform.testing.ClickHouseCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Seed 002's pipes on a ClickHouse cluster (two shards, {@code --clickhouse-cluster}): the same SQL and
 * the same answers as on one server, read through the Distributed tables; skipped with a message where
 * there is no clickhouse-server binary.
 */
class ClickHouseClusterSeed002PipesIT extends Seed002PipesContract {
    private ClickHouseCluster cluster;
    private ClickHouseStore store;

    /** Started before the first test (not in @BeforeAll, so that a missing binary reports the tests as skipped). */
    @BeforeEach
    void open() {
        if (store == null) {
            cluster = ClickHouseCluster.startOrSkip(2);
            String database = cluster.servers().get(0).newDatabase("cluster_pipes_it");
            store = cluster.store(0, database);
            store.migrate();
            // as in ClickHouseSeed002PipesIT: replayed events stay second copies, on their shard
            cluster.servers().forEach(server -> server.execute("SYSTEM STOP MERGES " + database + ".customer_events_local"));
        }
    }

    /** After the contract closed the store. */
    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected AnalyticsStore store() {
        return store;
    }

    @Override
    protected String storeName() {
        return "ClickHouse cluster";
    }
}
