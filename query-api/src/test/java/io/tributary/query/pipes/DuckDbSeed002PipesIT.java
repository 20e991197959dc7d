package io.tributary.query.pipes;

import io.tributary.platform.store.AnalyticsStore;
import io.tributary.platform.store.duckdb.DuckDbStore;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Seed 002's pipes on DuckDB in a file of a temp dir. */
class DuckDbSeed002PipesIT extends Seed002PipesContract {
    @TempDir
    static Path dir;
    private DuckDbStore store;

    @BeforeAll
    void open() {
        store = DuckDbStore.open(dir.resolve("pipes.duckdb"));
        store.migrate();
    }

    @Override
    protected AnalyticsStore store() {
        return store;
    }

    @Override
    protected String storeName() {
        return "DuckDB";
    }
}
