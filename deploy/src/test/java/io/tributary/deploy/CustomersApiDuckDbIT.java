package io.tributary.deploy;

import io.tributary.platform.config.Setting;
import java.util.Map;

/** Seed 003's customer identity routes on the embedded default (DuckDB). */
class CustomersApiDuckDbIT extends CustomersApiContract {
    @Override
    protected Map<Setting, String> storeSettings() {
        return Map.of();
    }
}
