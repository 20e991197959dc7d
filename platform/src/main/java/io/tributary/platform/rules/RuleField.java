package io.tributary.platform.rules;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A field a rule can test: a customer statistic, {@code events.<event_type>} (the count of that
 * event type) or a profile field. Names are case-insensitive and kept lower-case, except the event
 * type of {@code events.<event_type>}, which is data and kept as written.
 */
public record RuleField(String name, Type type) {
    /** How a field's values compare, and which literals it accepts. */
    public enum Type {
        NUMBER("a number"), STRING("a string"), DATE("a date"), TIMESTAMP("a timestamp");

        final String description;

        Type(String description) {
            this.description = description;
        }
    }

    /** Prefix of the per-event-type counts, e.g. {@code events.purchase}. */
    public static final String EVENTS_PREFIX = "events.";

    /** The fixed fields, in the order the documentation lists them. */
    public static final Map<String, Type> KNOWN;

    static {
        Map<String, Type> known = new LinkedHashMap<>();
        for (String n : new String[] {"event_count", "purchase_count", "items_purchased", "total_spent", "average_order_value",
                "session_count", "distinct_products", "distinct_categories", "device_count", "country_count", "lifetime_value"}) {
            known.put(n, Type.NUMBER);
        }
        for (String n : new String[] {"first_seen", "last_seen", "first_purchase_at", "last_purchase_at"}) {
            known.put(n, Type.TIMESTAMP);
        }
        known.put("age", Type.NUMBER);
        for (String n : new String[] {"gender", "city", "country", "email", "first_name", "last_name"}) {
            known.put(n, Type.STRING);
        }
        known.put("signup_date", Type.DATE);
        known.put("last_login", Type.TIMESTAMP);
        known.put("customer_segment", Type.STRING);
        KNOWN = java.util.Collections.unmodifiableMap(known);
    }

    public RuleField {
        Objects.requireNonNull(name);
        Objects.requireNonNull(type);
    }

    /** The field called {@code written} (as it appears in a rule), if there is one. */
    public static Optional<RuleField> named(String written) {
        if (written.length() > EVENTS_PREFIX.length() && written.regionMatches(true, 0, EVENTS_PREFIX, 0, EVENTS_PREFIX.length())) {
            return Optional.of(new RuleField(EVENTS_PREFIX + written.substring(EVENTS_PREFIX.length()), Type.NUMBER));
        }
        String lower = written.toLowerCase(java.util.Locale.ROOT);
        return Optional.ofNullable(KNOWN.get(lower)).map(t -> new RuleField(lower, t));
    }

    /** For {@code events.<type>}: the event type; otherwise empty. */
    public Optional<String> eventType() {
        return name.startsWith(EVENTS_PREFIX) ? Optional.of(name.substring(EVENTS_PREFIX.length())) : Optional.empty();
    }

    @Override
    public String toString() {
        return name;
    }
}
