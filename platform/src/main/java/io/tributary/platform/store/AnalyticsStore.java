package io.tributary.platform.store;

import java.util.List;

/**
 * The analytics store port (DESIGN.md §5): ClickHouse in production, DuckDB embedded. Every
 * adapter runs the same contract tests. Writes are batched and idempotent so that sinks can
 * replay a batch after a failure with no effect; reads take SQL with bound parameters.
 */
public interface AnalyticsStore extends AutoCloseable {

    StoreDialect dialect();

    /** Applies the migrations of {@code ddl/<dialect>/} not applied yet; safe to call at every start. */
    void migrate();

    /** Returns normally when the store answers; throws {@link StoreUnavailableException} otherwise. */
    void ping();

    /**
     * Writes {@code rows} (each aligned with {@code table.columns()}) in one batch, per the table's
     * {@link WriteMode}. Replaying the same rows changes nothing. Throws
     * {@link StoreUnavailableException} when the store cannot be reached (the caller retries).
     */
    void write(StoreTable table, List<Object[]> rows);

    /**
     * Runs a read query. {@code query.sql()} names tables without a database; {@code ?}
     * placeholders are bound to {@code query.params()} in order, never concatenated as text.
     */
    QueryResult query(BoundQuery query);

    /**
     * Removes the versions of each key in {@code rows} older than that row's version, so that data a
     * newer version scrubbed (a deleted entity, a soft-deleted customer's PII) is gone from the store,
     * not just hidden from reads. {@code rows} are rows of {@code table} already written. A store
     * that keeps one row per key (DuckDB's upserts) has nothing to do; ClickHouse's ReplacingMergeTree
     * keeps older versions until parts merge, so it deletes them (an asynchronous mutation).
     */
    default void purgeSupersededVersions(StoreTable table, List<Object[]> rows) {
    }

    /**
     * Removes every row of {@code table} (its definition and the applied migrations stay): the
     * first step of rebuilding the store by replaying the topics from offset zero.
     */
    void truncate(StoreTable table);

    @Override
    void close();
}
