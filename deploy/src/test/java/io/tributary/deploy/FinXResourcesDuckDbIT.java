package io.tributary.deploy;

import io.tributary.platform.config.Setting;
import java.util.Map;

/** Seeds 000 and 001 end to end on the embedded default (DuckDB). */
class FinXResourcesDuckDbIT extends FinXResourcesContract {
    @Override
    protected Map<Setting, String> storeSettings() {
        return Map.of();
    }
}
