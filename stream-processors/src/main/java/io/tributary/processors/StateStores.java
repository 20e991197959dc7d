package io.tributary.processors;

import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/** Persistent (RocksDB) stores in production; in-memory ones for TopologyTestDriver tests (DESIGN.md §3). */
public enum StateStores {
    PERSISTENT, IN_MEMORY;

    public KeyValueBytesStoreSupplier keyValue(String name) {
        return this == PERSISTENT ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
    }
}
