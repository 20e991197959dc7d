package io.tributary.platform.auth;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A token scope (DESIGN.md §6): an action, optionally narrowed to one resource
 * ({@code action:resource}). A scope without a resource covers every resource of its action, and
 * {@code admin} covers everything.
 *
 * <p>The known actions ({@link #KNOWN_ACTIONS}): {@code admin}; {@code events:append[:datasource]};
 * {@code pipes:read[:pipe]}; {@code analytics:read}; {@code ops:read} (GET /v0/ops);
 * {@code links:read|create|update|delete}; {@code customers:upload};
 * {@code insights:read|create|update|delete}; {@code segments:read|create|update|delete};
 * {@code schemas:write} (registering schemas in the embedded registry).
 *
 * <p>{@link #parse} accepts any {@code noun:verb}, because it reads stored token records, which
 * must keep working whatever an older version wrote; tokens created now go through
 * {@link #parseKnown}, so a typo cannot mint a token that silently grants nothing.
 */
public record Scope(String action, Optional<String> resource) {
    public static final Scope ADMIN = new Scope("admin", Optional.empty());
    /** Appends rows to any datasource; {@link #eventsAppend(String)} narrows it to one. */
    public static final Scope EVENTS_APPEND = of("events:append");
    /** Reads any pipe; {@link #pipesRead(String)} narrows it to one. */
    public static final Scope PIPES_READ = of("pipes:read");
    public static final Scope ANALYTICS_READ = of("analytics:read");
    /** Reads the operations report (consumer lag, freshness, health): {@code GET /v0/ops}. */
    public static final Scope OPS_READ = of("ops:read");
    public static final Scope LINKS_READ = of("links:read");
    public static final Scope LINKS_CREATE = of("links:create");
    public static final Scope LINKS_UPDATE = of("links:update");
    public static final Scope LINKS_DELETE = of("links:delete");
    public static final Scope CUSTOMERS_UPLOAD = of("customers:upload");
    public static final Scope INSIGHTS_READ = of("insights:read");
    public static final Scope INSIGHTS_CREATE = of("insights:create");
    public static final Scope INSIGHTS_UPDATE = of("insights:update");
    public static final Scope INSIGHTS_DELETE = of("insights:delete");
    public static final Scope SEGMENTS_READ = of("segments:read");
    public static final Scope SEGMENTS_CREATE = of("segments:create");
    public static final Scope SEGMENTS_UPDATE = of("segments:update");
    public static final Scope SEGMENTS_DELETE = of("segments:delete");
    /** Registers schemas and sets compatibility in the embedded schema registry. */
    public static final Scope SCHEMAS_WRITE = of("schemas:write");

    /** Every action a new token may hold, in the order error messages list them. */
    public static final List<String> KNOWN_ACTIONS = Stream.of(ADMIN, EVENTS_APPEND, PIPES_READ, ANALYTICS_READ, OPS_READ,
                    LINKS_READ, LINKS_CREATE, LINKS_UPDATE, LINKS_DELETE, CUSTOMERS_UPLOAD,
                    INSIGHTS_READ, INSIGHTS_CREATE, INSIGHTS_UPDATE, INSIGHTS_DELETE,
                    SEGMENTS_READ, SEGMENTS_CREATE, SEGMENTS_UPDATE, SEGMENTS_DELETE, SCHEMAS_WRITE)
            .map(Scope::action).toList();

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

    /**
     * Parses {@code action} or {@code action:resource}, where action itself is {@code noun:verb} or
     * {@code admin}; any such action, known or not (see the class comment).
     */
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

    /**
     * As {@link #parse}, and the action must be one of {@link #KNOWN_ACTIONS}: for scopes of new
     * tokens. The exception's message names the scope and lists the known actions.
     */
    public static Scope parseKnown(String text) {
        Optional<Scope> scope;
        try {
            scope = Optional.of(parse(text)).filter(Scope::known);
        } catch (IllegalArgumentException e) {
            scope = Optional.empty(); // malformed: answered like an unknown action, with the list of valid ones
        }
        return scope.orElseThrow(() -> new IllegalArgumentException("unknown scope '" + text.trim() + "': expected one of "
                + String.join(", ", KNOWN_ACTIONS) + " (events:append and pipes:read may name one datasource or pipe after a colon)"));
    }

    /** Whether the action is one of {@link #KNOWN_ACTIONS}. */
    public boolean known() {
        return KNOWN_ACTIONS.contains(action);
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
