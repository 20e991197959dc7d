package io.tributary.query.pipes;

import io.tributary.platform.store.AnalyticsStore;
import io.tributary.platform.store.clickhouse.ClickHouseConfig;
import io.tributary.platform.store.clickhouse.ClickHouseStore;
import io.tributary.platform.testing.ClickHouseExtension;
import io.tributary.platform.testing.ClickHouseServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** Seed 002's pipes on a real ClickHouse (18.16 here); skipped with a message when none is available. */
@ExtendWith(ClickHouseExtension.class)
class ClickHouseSeed002PipesIT extends Seed002PipesContract {
    private ClickHouseStore store;

    /** Opened before the first test (not in @BeforeAll, so that a missing server reports the tests as skipped). */
    @BeforeEach
    void open(ClickHouseServer server) {
        if (store == null) {
            store = ClickHouseStore.open(ClickHouseConfig.of(server.url(), server.newDatabase("pipes_it"))
                    .withCredentials(server.user(), server.password()));
            store.migrate();
        }
    }

    @Override
    protected AnalyticsStore store() {
        return store;
    }

    @Override
    protected String storeName() {
        return "ClickHouse";
    }
}
