package io.tributary.deploy;

import io.tributary.platform.config.Setting;
import java.util.Map;

/** The spine end-to-end on the embedded default: in-JVM Kafka, embedded registry, DuckDB. */
class EndToEndDuckDbIT extends SpineEndToEndContract {
    @Override
    protected Map<Setting, String> storeSettings() {
        return Map.of();
    }
}
