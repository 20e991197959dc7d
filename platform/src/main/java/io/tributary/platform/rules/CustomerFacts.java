package io.tributary.platform.rules;

import io.tributary.schemas.avro.CustomerProfile;
import io.tributary.schemas.avro.CustomerStats;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A customer as rules see them: the running statistics (customer_stats) and the latest profile.
 * A customer with a profile but no events yet has zero counts and total_spent 0, so rules over
 * counts can decide for them; the times of a customer without events are missing, as are all
 * profile fields of a customer without a profile. {@code lifetime_value} is the profile's value
 * when the profile sets it, else total_spent.
 */
public record CustomerFacts(CustomerStats stats, CustomerProfile profile) implements RuleFacts {
    private static final BigDecimal ZERO = BigDecimal.ZERO.setScale(4);

    /** Whether there is anything to evaluate: a rule is decided only for a customer with events or a profile. */
    public boolean known() {
        return stats != null || profile != null;
    }

    @Override
    public Object value(RuleField field) {
        if (field.eventType().isPresent()) {
            if (stats == null) {
                return profile == null ? null : 0L;
            }
            Long count = stats.getEventsByType().get(field.eventType().get());
            return count == null ? 0L : count;
        }
        return switch (field.name()) {
            case "age", "gender", "city", "country", "email", "first_name", "last_name", "signup_date", "last_login",
                 "customer_segment" -> profileValue(field.name());
            case "lifetime_value" -> profile != null && profile.getLifetimeValue() != null ? profile.getLifetimeValue() : statsValue("total_spent");
            default -> statsValue(field.name());
        };
    }

    private Object statsValue(String name) {
        if (stats == null) {
            if (profile == null) {
                return null;
            }
            return switch (name) {
                case "total_spent" -> ZERO;
                case "average_order_value", "first_seen", "last_seen", "first_purchase_at", "last_purchase_at" -> null;
                default -> 0L;
            };
        }
        return switch (name) {
            case "event_count" -> stats.getEventCount();
            case "purchase_count" -> stats.getPurchaseCount();
            case "items_purchased" -> stats.getItemsPurchased();
            case "total_spent" -> stats.getTotalSpent();
            case "average_order_value" -> stats.getAverageOrderValue();
            case "session_count" -> stats.getSessionCount();
            case "distinct_products" -> stats.getDistinctProducts();
            case "distinct_categories" -> stats.getDistinctCategories();
            case "device_count" -> (long) stats.getDevices().size();
            case "country_count" -> (long) stats.getCountries().size();
            case "first_seen" -> stats.getFirstSeen();
            case "last_seen" -> stats.getLastSeen();
            case "first_purchase_at" -> stats.getFirstPurchaseAt();
            case "last_purchase_at" -> stats.getLastPurchaseAt();
            default -> throw new IllegalArgumentException("not a statistic: " + name);
        };
    }

    private Object profileValue(String name) {
        if (profile == null) {
            return null;
        }
        return switch (name) {
            case "age" -> profile.getAge() == null ? null : profile.getAge().longValue();
            case "gender" -> profile.getGender();
            case "city" -> profile.getCity();
            case "country" -> profile.getCountry();
            case "email" -> profile.getEmail();
            case "first_name" -> profile.getFirstName();
            case "last_name" -> profile.getLastName();
            case "signup_date" -> midnight(profile.getSignupDate());
            case "last_login" -> profile.getLastLogin();
            case "customer_segment" -> profile.getCustomerSegment();
            default -> throw new IllegalArgumentException("not a profile field: " + name);
        };
    }

    private static Instant midnight(LocalDate date) {
        return date == null ? null : date.atStartOfDay().toInstant(ZoneOffset.UTC);
    }
}
