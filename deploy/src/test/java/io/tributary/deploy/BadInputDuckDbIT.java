package io.tributary.deploy;

import io.tributary.platform.config.Setting;
import java.util.Map;

/** Issue 8's fuzz and injection run on the embedded default (DuckDB). */
class BadInputDuckDbIT extends BadInputContract {
    @Override
    protected Map<Setting, String> storeSettings() {
        return Map.of();
    }
}
