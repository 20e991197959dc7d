package io.tributary.processors.health;

import io.tributary.platform.health.HealthSettings;

/** What the scorer of a workspace receives (keyed by workspace): new settings, or one uploaded customer. Exactly one is set. */
public record HealthInput(HealthSettings settings, UploadedCustomer upload) {
    static HealthInput of(HealthSettings settings) {
        return new HealthInput(settings, null);
    }

    static HealthInput of(UploadedCustomer upload) {
        return new HealthInput(null, upload);
    }
}
