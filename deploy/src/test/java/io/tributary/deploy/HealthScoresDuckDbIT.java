package io.tributary.deploy;

import io.tributary.platform.config.Setting;
import java.util.Map;

/** Seed 004's upload and health scores on the embedded default (DuckDB). */
class HealthScoresDuckDbIT extends HealthScoresContract {
    @Override
    protected Map<Setting, String> storeSettings() {
        return Map.of();
    }
}
