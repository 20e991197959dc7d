package io.tributary.platform.store.clickhouse;

import io.tributary.platform.store.AnalyticsStore;
import io.tributary.platform.store.AnalyticsStoreContract;

/**
 * The store contract on ClickHouse, one server or a cluster: ClickHouse's answers to the contract's
 * per-store questions, and the store the subclass opens (in its first {@code @BeforeEach}, so that a
 * missing server reports every test as skipped).
 */
abstract class ClickHouseContract extends AnalyticsStoreContract {
    /** Set by the subclass before the first test runs; closed by the contract after the class. */
    protected ClickHouseStore store;

    @Override
    protected AnalyticsStore store() {
        return store;
    }

    @Override
    protected String countType() {
        return "UInt64";
    }

    @Override
    protected String sumOfInt32Type() {
        return "Int64";
    }
}
