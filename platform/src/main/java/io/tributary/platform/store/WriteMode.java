package io.tributary.platform.store;

/** How a batch write treats rows whose key already exists. */
public enum WriteMode {
    /** Append-only facts (events): a row whose key exists is ignored, so a replay changes nothing. */
    INSERT_IGNORE_EXISTING,
    /** Entities and aggregates: the row with the highest version column wins, whatever the arrival order. */
    UPSERT_NEWER_VERSION
}
