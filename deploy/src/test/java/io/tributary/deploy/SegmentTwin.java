package io.tributary.deploy;

import io.tributary.query.testdata.RuleComparison;
import io.tributary.query.testdata.SeedDataset.Profile;
import io.tributary.query.testdata.SeedDataset.Stats;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * A segment for end-to-end tests: the rule text that is posted, and its meaning written again by
 * hand in Java (a twin), so that expected membership does not come from the engine under test.
 * Twins use SQL-style three-valued logic: null is UNKNOWN, and only TRUE makes a member.
 */
record SegmentTwin(String id, String name, String rule, Twin twin) {

    /** What a rule sees of one customer: stats (zeros when the customer has no events) and profile (may be absent). */
    record Facts(Stats stats, Profile profile) {
        long count(String eventType) {
            if (stats == null) {
                return 0;
            }
            int i = stats.eventsByTypeKeys().indexOf(eventType);
            return i < 0 ? 0 : stats.eventsByTypeValues().get(i);
        }

        long eventCount() {
            return stats == null ? 0 : stats.eventCount();
        }

        long purchaseCount() {
            return stats == null ? 0 : stats.purchaseCount();
        }

        long sessionCount() {
            return stats == null ? 0 : stats.sessionCount();
        }

        long distinctCategories() {
            return stats == null ? 0 : stats.distinctCategories();
        }

        long deviceCount() {
            return stats == null ? 0 : stats.devices().size();
        }

        BigDecimal totalSpent() {
            return stats == null ? BigDecimal.ZERO : stats.totalSpent();
        }

        BigDecimal averageOrderValue() {
            return stats == null ? null : stats.averageOrderValue();
        }

        BigDecimal lifetimeValue() {
            return profile != null && profile.lifetimeValue() != null ? profile.lifetimeValue() : totalSpent();
        }

        Instant firstSeen() {
            return stats == null ? null : stats.firstSeen();
        }

        Instant lastSeen() {
            return stats == null ? null : stats.lastSeen();
        }

        Integer age() {
            return profile == null ? null : profile.age();
        }

        String gender() {
            return profile == null ? null : profile.gender();
        }

        String city() {
            return profile == null ? null : profile.city();
        }

        String country() {
            return profile == null ? null : profile.country();
        }

        LocalDate signupDate() {
            return profile == null ? null : profile.signupDate();
        }

        String customerSegment() {
            return profile == null ? null : profile.customerSegment();
        }
    }

    interface Twin {
        /** TRUE, FALSE or null (UNKNOWN). */
        Boolean test(Facts f);
    }

    boolean matches(Facts facts) {
        return Boolean.TRUE.equals(twin.test(facts));
    }

    // ---- three-valued helpers

    static <T extends Comparable<T>> Boolean cmp(T value, String op, T literal) {
        return RuleComparison.compare(value, op, literal);
    }

    static Boolean and(Boolean a, Boolean b) {
        if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) {
            return false;
        }
        return a == null || b == null ? null : true;
    }

    static Boolean or(Boolean a, Boolean b) {
        if (Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b)) {
            return true;
        }
        return a == null || b == null ? null : false;
    }

    static Boolean not(Boolean a) {
        return a == null ? null : !a;
    }

    static Boolean in(String value, List<String> values) {
        return value == null ? null : values.contains(value);
    }

    private static Instant at(String timestamp) {
        return Instant.parse(timestamp.replace(' ', 'T') + "Z");
    }

    private static BigDecimal money(String amount) {
        return new BigDecimal(amount);
    }

    /**
     * Twenty segments over every kind of field, operator and literal of the rule language. Four are
     * named like the profiles' {@code customer_segment} values, so profiles place customers in them.
     */
    static List<SegmentTwin> twenty() {
        return List.of(
                new SegmentTwin("seg-01", "High Value Active", "total_spent > 1000 AND session_count > 10",
                        f -> and(cmp(f.totalSpent(), ">", money("1000")), cmp(f.sessionCount(), ">", 10L))),
                new SegmentTwin("seg-02", "High Value", "purchase_count >= 15",
                        f -> cmp(f.purchaseCount(), ">=", 15L)),
                new SegmentTwin("seg-03", "Regular", "events.page_view >= 40 AND events.purchase < 5",
                        f -> and(cmp(f.count("page_view"), ">=", 40L), cmp(f.count("purchase"), "<", 5L))),
                new SegmentTwin("seg-04", "New", "first_seen >= '2023-10-01 00:00:00'",
                        f -> cmp(f.firstSeen(), ">=", at("2023-10-01 00:00:00"))),
                new SegmentTwin("seg-05", "At Risk", "last_seen < '2023-09-01 00:00:00' AND purchase_count > 0",
                        f -> and(cmp(f.lastSeen(), "<", at("2023-09-01 00:00:00")), cmp(f.purchaseCount(), ">", 0L))),
                new SegmentTwin("seg-06", "Big Baskets", "average_order_value > 150",
                        f -> cmp(f.averageOrderValue(), ">", money("150"))),
                new SegmentTwin("seg-07", "Europe", "country IN ('GB', 'DE', 'FR', 'ES')",
                        f -> in(f.country(), List.of("GB", "DE", "FR", "ES"))),
                new SegmentTwin("seg-08", "Outside the Americas", "country NOT IN ('US', 'BR')",
                        f -> not(in(f.country(), List.of("US", "BR")))),
                new SegmentTwin("seg-09", "Young Shoppers", "age >= 18 AND age < 30 AND purchase_count >= 1",
                        f -> and(and(cmp(f.age(), ">=", 18), cmp(f.age(), "<", 30)), cmp(f.purchaseCount(), ">=", 1L))),
                new SegmentTwin("seg-10", "Seniors or Lapsed", "age >= 60 OR last_seen < '2023-06-01 00:00:00'",
                        f -> or(cmp(f.age(), ">=", 60), cmp(f.lastSeen(), "<", at("2023-06-01 00:00:00")))),
                new SegmentTwin("seg-11", "Category Explorers", "distinct_categories >= 10",
                        f -> cmp(f.distinctCategories(), ">=", 10L)),
                new SegmentTwin("seg-12", "Early Signups", "signup_date < '2022-06-01'",
                        f -> cmp(f.signupDate(), "<", LocalDate.of(2022, 6, 1))),
                new SegmentTwin("seg-13", "Women outside Tokyo", "gender = 'female' AND NOT (city = 'Tokyo')",
                        f -> and(cmp(f.gender(), "=", "female"), not(cmp(f.city(), "=", "Tokyo")))),
                new SegmentTwin("seg-14", "Lifetime 2000+", "lifetime_value >= 2000",
                        f -> cmp(f.lifetimeValue(), ">=", money("2000"))),
                new SegmentTwin("seg-15", "Searchers", "events.search > 12 OR events.login > 8",
                        f -> or(cmp(f.count("search"), ">", 12L), cmp(f.count("login"), ">", 8L))),
                new SegmentTwin("seg-16", "Quiet", "event_count <= 30",
                        f -> cmp(f.eventCount(), "<=", 30L)),
                new SegmentTwin("seg-17", "Regulars who spend", "customer_segment = 'Regular' AND total_spent > 500",
                        f -> and(cmp(f.customerSegment(), "=", "Regular"), cmp(f.totalSpent(), ">", money("500")))),
                new SegmentTwin("seg-18", "Multi Device", "device_count >= 3",
                        f -> cmp(f.deviceCount(), ">=", 3L)),
                new SegmentTwin("seg-19", "Nobody", "total_spent < 0",
                        f -> cmp(f.totalSpent(), "<", money("0"))),
                new SegmentTwin("seg-20", "Seen in H2", "(last_seen >= '2023-07-01 00:00:00') AND NOT (event_count = 0)",
                        f -> and(cmp(f.lastSeen(), ">=", at("2023-07-01 00:00:00")), not(cmp(f.eventCount(), "=", 0L)))));
    }

    /** Rules posted first and then replaced, so the final membership needs re-evaluation in both directions. */
    static Map<String, String> firstRules() {
        return Map.of(
                "seg-05", "purchase_count > 100000", // nobody, then some enter
                "seg-19", "event_count >= 0",         // everyone, then all leave
                "seg-02", "purchase_count >= 1");     // many, then fewer
    }
}
