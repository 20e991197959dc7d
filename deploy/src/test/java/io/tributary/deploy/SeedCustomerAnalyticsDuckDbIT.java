package io.tributary.deploy;

import io.tributary.platform.config.Setting;
import java.util.Map;

/** Seed 002 end to end on the embedded default (DuckDB). */
class SeedCustomerAnalyticsDuckDbIT extends SeedCustomerAnalyticsContract {
    @Override
    protected Map<Setting, String> storeSettings() {
        return Map.of();
    }
}
