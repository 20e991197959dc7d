package io.tributary.deploy;

import io.tributary.platform.config.Setting;
import java.util.Map;

/** Seed 002 at size through the whole pipeline into the embedded default store, DuckDB. */
class CustomerAnalyticsPipelineDuckDbIT extends CustomerAnalyticsPipelineContract {
    @Override
    protected Map<Setting, String> storeSettings() {
        return Map.of();
    }
}
