package io.tributary.platform.auth;

import java.util.Objects;
import java.util.Optional;

/**
 * A token scope (DESIGN.md §6): {@code admin}, {@code events:append[:datasource]},
 * {@code pipes:read[:pipe]}, {@code analytics:read}, {@code links:read|create|update|delete},
 * {@code customers:upload}, {@code ops:read} (GET /v0/ops). A scope without a resource covers every resource of its action.
 */
public record Scope(String action, Optional<String> resource) {
    public static final Scope ADMIN = new Scope("admin", Optional.empty());
    /** Reads the operations report (consumer lag, freshness, health): {@code GET /v0/ops}. */
    public static final Scope OPS_READ = new Scope("ops:read", Optional.empty());

    public static final Scope INSIGHTS_READ = of("insights:read");
    public static final Scope INSIGHTS_CREATE = of("insights:create");
    public static final Scope INSIGHTS_UPDATE = of("insights:update");
    public static final Scope INSIGHTS_DELETE = of("insights:delete");
    public static final Scope SEGMENTS_READ = of("segments:read");
    public static final Scope SEGMENTS_CREATE = of("segments:create");
    public static final Scope SEGMENTS_UPDATE = of("segments:update");
    public static final Scope SEGMENTS_DELETE = of("segments:delete");

    public Scope {
        Objects.requireNonNull(action);
        Objects.requireNonNull(resource);
    }

    public static Scope of(String action) {
        return new Scope(action, Optional.empty());
    }

    public static Scope of(String action, String resource) {
        return new Scope(action, Optional.of(resource));
    }

    public static Scope eventsAppend(String datasource) {
        return of("events:append", datasource);
    }

    public static Scope pipesRead(String pipe) {
        return of("pipes:read", pipe);
    }

    /** Parses {@code action} or {@code action:resource}, where action itself is {@code noun:verb} or {@code admin}. */
    public static Scope parse(String text) {
        String s = text.trim();
        if (s.equals("admin")) {
            return ADMIN;
        }
        String[] parts = s.split(":", 3);
        if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty() || (parts.length == 3 && parts[2].isEmpty())) {
            throw new IllegalArgumentException("invalid scope '" + text + "': expected admin or noun:verb[:resource]");
        }
        String action = parts[0] + ":" + parts[1];
        return parts.length == 3 ? of(action, parts[2]) : of(action);
    }

    /** Whether a token holding this scope may do what {@code required} names. */
    public boolean grants(Scope required) {
        if (this.equals(ADMIN)) {
            return true;
        }
        if (!action.equals(required.action)) {
            return false;
        }
        return resource.isEmpty() || resource.equals(required.resource);
    }

    @Override
    public String toString() {
        return resource.map(r -> action + ":" + r).orElse(action);
    }
}
