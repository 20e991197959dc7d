package io.tributary.query.testdata;

import io.tributary.platform.store.AnalyticsStore;
import io.tributary.platform.store.StoreTables;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A deterministic data set for seed 002's tables (customer_events, customer_stats,
 * customer_profiles, customer_segments, segment_members), generated from a seeded
 * {@link Random} and written straight into an {@link AnalyticsStore} through its batch write API.
 *
 * <p>customer_stats rows are derived here from the events with the semantics of the
 * customer_stats Avro schema (the real pipeline computes them in Kafka Streams). The set also holds
 * superseded rows — older versions of profiles, stats and memberships and replayed events — that
 * {@link #writeTo} writes first, in separate batches, so that ClickHouse reads must use FINAL to
 * see only the current rows. The public lists hold the current rows only: they are what every
 * store must answer from.
 *
 * <p>Reused by end-to-end tests through the query-api test-jar.
 */
public final class SeedDataset {
    /** Events fall in 2023 (UTC). */
    public static final Instant START = Instant.parse("2023-01-01T00:00:00Z");
    public static final Instant END = Instant.parse("2024-01-01T00:00:00Z");
    public static final List<String> EVENT_TYPES = List.of("page_view", "product_view", "add_to_cart", "purchase", "search", "login");
    private static final int[] EVENT_TYPE_WEIGHTS = {45, 22, 11, 8, 9, 5};
    public static final List<String> COUNTRIES = List.of("US", "GB", "DE", "FR", "ES", "BR", "JP", "IN");
    public static final List<String> DEVICES = List.of("mobile", "desktop", "tablet");
    private static final List<String> CITIES = List.of("New York", "London", "Berlin", "Paris", "Madrid", "São Paulo", "Tokyo", "Mumbai");
    private static final List<String> FIRST_NAMES = List.of("John", "Mary", "Ana", "Li", "Omar", "Zoë", "Jean-Luc", "O'Neil");
    private static final List<String> LAST_NAMES = List.of("Doe", "Smith", "García", "Müller", "Tanaka", "Okafor", "D'Arcy", "Nguyen");
    private static final List<String> SEGMENT_TYPES = List.of("value-based", "behavioral", "demographic");
    private static final int PRODUCTS = 200;
    private static final int CATEGORIES = 12;

    public record Event(String eventId, String customerId, String eventType, Instant eventTimestamp, String sessionId,
                        String pageUrl, String productId, String categoryId, BigDecimal price, Integer quantity,
                        String deviceType, String country, String referrer, String userAgent, Instant ingestedAt) {
        Object[] row(String ws) {
            return new Object[] {ws, eventId, customerId, eventType, eventTimestamp, sessionId, pageUrl, productId, categoryId,
                    price, quantity, deviceType, country, referrer, userAgent, ingestedAt, null, null, null, null, null, null};
        }
    }

    public record Stats(String customerId, long eventCount, List<String> eventsByTypeKeys, List<Long> eventsByTypeValues,
                        long purchaseCount, long itemsPurchased, BigDecimal totalSpent, Instant firstSeen, Instant lastSeen,
                        Instant firstPurchaseAt, Instant lastPurchaseAt, long version, Instant updatedAt, long sessionCount,
                        long distinctProducts, long distinctCategories, List<String> devices, List<String> countries,
                        BigDecimal averageOrderValue, BigDecimal lifetimeValue) {
        Object[] row(String ws) {
            return new Object[] {ws, customerId, eventCount, eventsByTypeKeys, eventsByTypeValues, purchaseCount, itemsPurchased,
                    totalSpent, firstSeen, lastSeen, firstPurchaseAt, lastPurchaseAt, version, updatedAt, sessionCount,
                    distinctProducts, distinctCategories, devices, countries, averageOrderValue, lifetimeValue};
        }
    }

    public record Profile(String customerId, String email, String firstName, String lastName, Integer age, String gender,
                          String city, String country, LocalDate signupDate, Instant lastLogin, String customerSegment,
                          BigDecimal lifetimeValue, Instant ingestedAt, long version) {
        Object[] row(String ws) {
            return new Object[] {ws, customerId, email, firstName, lastName, age, gender, city, country, signupDate, lastLogin,
                    customerSegment, lifetimeValue, ingestedAt, version};
        }
    }

    public record Segment(String segmentId, String segmentName, String segmentDescription, LocalDate creationDate,
                          LocalDate updateDate, String segmentRules, String segmentType, Instant ingestedAt, long version) {
        Object[] row(String ws) {
            return new Object[] {ws, segmentId, segmentName, segmentDescription, creationDate, updateDate, segmentRules, segmentType,
                    ingestedAt, version, null, null, false};
        }
    }

    public record Member(String segmentId, String customerId, String segmentName, boolean member, boolean viaRule,
                         boolean viaProfile, String cause, Instant changedAt, long version) {
        Object[] row(String ws) {
            return new Object[] {ws, segmentId, customerId, segmentName, member, viaRule, viaProfile, cause, changedAt, version};
        }
    }

    public final String workspaceId;
    /** Current rows: what every read must be computed from. */
    public final List<Event> events;
    public final List<Stats> stats;
    public final List<Profile> profiles;
    public final List<Segment> segments;
    public final List<Member> members;
    /** Superseded rows (older versions, replayed events), written before the current ones. */
    private final List<Event> replayedEvents;
    private final List<Stats> staleStats;
    private final List<Profile> staleProfiles;
    private final List<Member> staleMembers;

    private SeedDataset(String workspaceId, List<Event> events, List<Stats> stats, List<Profile> profiles, List<Segment> segments,
                        List<Member> members, List<Event> replayedEvents, List<Stats> staleStats, List<Profile> staleProfiles,
                        List<Member> staleMembers) {
        this.workspaceId = workspaceId;
        this.events = List.copyOf(events);
        this.stats = List.copyOf(stats);
        this.profiles = List.copyOf(profiles);
        this.segments = List.copyOf(segments);
        this.members = List.copyOf(members);
        this.replayedEvents = List.copyOf(replayedEvents);
        this.staleStats = List.copyOf(staleStats);
        this.staleProfiles = List.copyOf(staleProfiles);
        this.staleMembers = List.copyOf(staleMembers);
    }

    /** The standard set: 2,000 customers, 200,000 events, 20 segments. */
    public static SeedDataset standard(String workspaceId) {
        return generate(workspaceId, 20230101L, 2_000, 200_000, 20);
    }

    public static SeedDataset generate(String workspaceId, long seed, int customerCount, int eventCount, int segmentCount) {
        Random random = new Random(seed);
        List<String> customers = new ArrayList<>();
        String[] home = new String[customerCount];
        long[] windowStart = new long[customerCount];
        long[] windowEnd = new long[customerCount];
        double[] cumulativeWeight = new double[customerCount];
        long span = END.getEpochSecond() - START.getEpochSecond();
        double total = 0;
        for (int c = 0; c < customerCount; c++) {
            customers.add(String.format("cust-%05d", c + 1));
            home[c] = COUNTRIES.get(random.nextInt(COUNTRIES.size()));
            long a = START.getEpochSecond() + (long) (random.nextDouble() * span);
            long b = START.getEpochSecond() + (long) (random.nextDouble() * span);
            windowStart[c] = Math.min(a, b);
            windowEnd[c] = Math.max(a, b) + 3600;
            double weight = Math.pow(random.nextDouble(), 9) * 50 + 0.5; // a few customers ten times as busy as most
            total += weight;
            cumulativeWeight[c] = total;
        }
        BigDecimal[] productPrice = new BigDecimal[PRODUCTS];
        for (int p = 0; p < PRODUCTS; p++) {
            productPrice[p] = BigDecimal.valueOf(199 + random.nextInt(49_800), 2); // 1.99 .. 499.98
        }

        List<Event> events = new ArrayList<>(eventCount);
        for (int i = 0; i < eventCount; i++) {
            double pick = random.nextDouble() * total;
            int c = lowerBound(cumulativeWeight, pick);
            String customer = customers.get(c);
            long second = windowStart[c] + (long) (random.nextDouble() * (Math.min(windowEnd[c], END.getEpochSecond() - 1) - windowStart[c]));
            Instant at = Instant.ofEpochSecond(second);
            String type = EVENT_TYPES.get(weighted(random, EVENT_TYPE_WEIGHTS));
            int product = random.nextInt(PRODUCTS);
            boolean hasProduct = !type.equals("search") && !type.equals("login") && (!type.equals("page_view") || random.nextInt(3) == 0);
            BigDecimal price = null;
            Integer quantity = null;
            if (type.equals("purchase")) {
                price = random.nextInt(100) == 0 ? null : productPrice[product];
                quantity = random.nextInt(50) == 0 ? null : 1 + random.nextInt(4);
            } else if (type.equals("add_to_cart") || type.equals("product_view")) {
                price = productPrice[product];
                quantity = type.equals("add_to_cart") ? 1 + random.nextInt(3) : null;
            }
            String country = random.nextInt(20) == 0 ? COUNTRIES.get(random.nextInt(COUNTRIES.size())) : home[c];
            events.add(new Event(String.format("ev-%07d", i + 1), customer, type, at,
                    random.nextInt(50) == 0 ? null : String.format("sess-%05d-%03d", c + 1, (second - windowStart[c]) / 7200),
                    "https://example.com/" + (hasProduct ? "product/" + product : "home"),
                    hasProduct ? String.format("prod-%03d", product) : null,
                    hasProduct ? String.format("cat-%02d", product % CATEGORIES) : null,
                    price, quantity,
                    random.nextInt(40) == 0 ? null : DEVICES.get(random.nextInt(DEVICES.size())),
                    random.nextInt(100) == 0 ? null : country,
                    random.nextInt(3) == 0 ? null : "google.com",
                    "Mozilla/5.0 (test " + (c % 7) + ")",
                    at.plusSeconds(1 + random.nextInt(5))));
        }
        List<Event> replayed = new ArrayList<>();
        for (int i = 0; i < events.size(); i += 97) {
            replayed.add(events.get(i));
        }

        // customer_stats from the events, as the customer_stats schema defines each field
        Map<String, List<Event>> byCustomer = new TreeMap<>();
        for (Event e : events) {
            byCustomer.computeIfAbsent(e.customerId(), k -> new ArrayList<>()).add(e);
        }
        List<Stats> stats = new ArrayList<>();
        List<Stats> staleStats = new ArrayList<>();
        for (Map.Entry<String, List<Event>> entry : byCustomer.entrySet()) {
            Stats current = stats(entry.getKey(), entry.getValue());
            stats.add(current);
            if (random.nextInt(10) == 0 && entry.getValue().size() > 1) {
                // an older version holding only the first event: must be superseded everywhere
                staleStats.add(stats(entry.getKey(), entry.getValue().subList(0, 1)));
            }
        }

        // profiles for ~90% of customers (also some without any event)
        List<Profile> profiles = new ArrayList<>();
        List<Profile> staleProfiles = new ArrayList<>();
        long offset = 1;
        for (int c = 0; c < customerCount; c++) {
            if (random.nextInt(10) == 0) {
                continue;
            }
            String first = FIRST_NAMES.get(random.nextInt(FIRST_NAMES.size()));
            String last = LAST_NAMES.get(random.nextInt(LAST_NAMES.size()));
            int countryIndex = COUNTRIES.indexOf(home[c]);
            Profile profile = new Profile(customers.get(c),
                    random.nextInt(30) == 0 ? null : (first + "." + last + "." + (c + 1) + "@example.com").toLowerCase().replace("'", ""),
                    first, last,
                    random.nextInt(30) == 0 ? null : 18 + random.nextInt(63),
                    random.nextInt(20) == 0 ? null : (random.nextBoolean() ? "female" : "male"),
                    CITIES.get(countryIndex),
                    random.nextInt(50) == 0 ? null : home[c],
                    LocalDate.of(2022, 1, 1).plusDays(random.nextInt(700)),
                    random.nextInt(10) == 0 ? null : START.plusSeconds((long) (random.nextDouble() * span)),
                    List.of("High Value", "Regular", "New", "At Risk").get(random.nextInt(4)),
                    random.nextBoolean() ? BigDecimal.valueOf(random.nextInt(500_000), 2) : null,
                    START.plusSeconds(c), 0);
            if (random.nextInt(10) == 0) {
                staleProfiles.add(withVersion(new Profile(profile.customerId(), "old@example.com", "Old", "Name", 99, "x", "Nowhere",
                        COUNTRIES.get((countryIndex + 1) % COUNTRIES.size()), profile.signupDate(), null, "Old",
                        new BigDecimal("99999.99"), profile.ingestedAt(), 0), offset++));
            }
            profiles.add(withVersion(profile, offset++));
        }

        // segments, one name used twice, and their members
        List<Segment> segments = new ArrayList<>();
        for (int s = 0; s < segmentCount; s++) {
            String name = s == 1 ? "VIP" : s == 0 ? "VIP" : "Segment " + (char) ('A' + s % 26) + (s >= 26 ? s / 26 : "");
            LocalDate created = LocalDate.of(2023, 1, 1).plusDays(random.nextInt(200));
            segments.add(new Segment(String.format("seg-%03d", s + 1), name, random.nextInt(5) == 0 ? null : "Description of " + name,
                    created, created.plusDays(random.nextInt(100)), "total_spent > " + (100 * s), SEGMENT_TYPES.get(s % 3),
                    START.plusSeconds(s), offset++));
        }
        List<Member> members = new ArrayList<>();
        List<Member> staleMembers = new ArrayList<>();
        for (int s = 0; s < segments.size(); s++) {
            Segment segment = segments.get(s);
            if (s == segments.size() - 1) {
                continue; // a segment nobody was ever evaluated into
            }
            int percent = s == segments.size() - 2 ? 0 : 2 + random.nextInt(25); // the second last has only former members
            Set<Integer> chosen = new HashSet<>();
            for (int c = 0; c < customerCount; c++) {
                if (random.nextInt(100) < Math.max(percent, 1)) {
                    chosen.add(c);
                }
            }
            for (int c : new TreeSet<>(chosen)) {
                boolean member = percent > 0 && random.nextInt(8) != 0;
                boolean viaRule = random.nextInt(4) != 0;
                Instant changed = START.plusSeconds((long) (random.nextDouble() * span));
                if (random.nextInt(6) == 0) {
                    staleMembers.add(new Member(segment.segmentId(), customers.get(c), segment.segmentName(), !member, !viaRule,
                            viaRule, "stale", changed.minusSeconds(86_400), offset++));
                }
                members.add(new Member(segment.segmentId(), customers.get(c), segment.segmentName(), member, viaRule, !viaRule,
                        member ? "entered" : "exited", changed, offset++));
            }
        }
        return new SeedDataset(workspaceId, events, stats, profiles, segments, members, replayed, staleStats, staleProfiles, staleMembers);
    }

    /** Writes the set: superseded rows first, then the current ones, in batches of at most 50,000 rows. */
    public void writeTo(AnalyticsStore store) {
        write(store, StoreTables.CUSTOMER_EVENTS, events.stream().map(e -> e.row(workspaceId)).toList());
        write(store, StoreTables.CUSTOMER_EVENTS, replayedEvents.stream().map(e -> e.row(workspaceId)).toList());
        write(store, StoreTables.CUSTOMER_STATS, staleStats.stream().map(s -> s.row(workspaceId)).toList());
        write(store, StoreTables.CUSTOMER_STATS, stats.stream().map(s -> s.row(workspaceId)).toList());
        write(store, StoreTables.CUSTOMER_PROFILES, staleProfiles.stream().map(p -> p.row(workspaceId)).toList());
        write(store, StoreTables.CUSTOMER_PROFILES, profiles.stream().map(p -> p.row(workspaceId)).toList());
        write(store, StoreTables.CUSTOMER_SEGMENTS, segments.stream().map(s -> s.row(workspaceId)).toList());
        write(store, StoreTables.SEGMENT_MEMBERS, staleMembers.stream().map(m -> m.row(workspaceId)).toList());
        write(store, StoreTables.SEGMENT_MEMBERS, members.stream().map(m -> m.row(workspaceId)).toList());
    }

    private static void write(AnalyticsStore store, io.tributary.platform.store.StoreTable table, List<Object[]> rows) {
        for (int from = 0; from < rows.size(); from += 50_000) {
            store.write(table, rows.subList(from, Math.min(rows.size(), from + 50_000)));
        }
    }

    private static Profile withVersion(Profile p, long version) {
        return new Profile(p.customerId(), p.email(), p.firstName(), p.lastName(), p.age(), p.gender(), p.city(), p.country(),
                p.signupDate(), p.lastLogin(), p.customerSegment(), p.lifetimeValue(), p.ingestedAt(), version);
    }

    /** The customer_stats row of {@code events} (one customer's), per the customer_stats schema's field docs. */
    static Stats stats(String customer, List<Event> events) {
        TreeMap<String, Long> byType = new TreeMap<>();
        long purchases = 0;
        long items = 0;
        BigDecimal spent = BigDecimal.ZERO.setScale(4);
        Instant firstSeen = null;
        Instant lastSeen = null;
        Instant firstPurchase = null;
        Instant lastPurchase = null;
        Instant updated = Instant.EPOCH;
        Set<String> sessions = new HashSet<>();
        Set<String> products = new HashSet<>();
        Set<String> categories = new HashSet<>();
        TreeSet<String> devices = new TreeSet<>();
        TreeSet<String> countries = new TreeSet<>();
        for (Event e : events) {
            byType.merge(e.eventType(), 1L, Long::sum);
            Instant at = e.eventTimestamp();
            firstSeen = firstSeen == null || at.isBefore(firstSeen) ? at : firstSeen;
            lastSeen = lastSeen == null || at.isAfter(lastSeen) ? at : lastSeen;
            updated = e.ingestedAt().isAfter(updated) ? e.ingestedAt() : updated;
            if (e.eventType().equals("purchase")) {
                long quantity = e.quantity() == null ? 1 : e.quantity();
                BigDecimal price = e.price() == null ? BigDecimal.ZERO : e.price();
                purchases++;
                items += quantity;
                spent = spent.add(price.multiply(BigDecimal.valueOf(quantity))).setScale(4, RoundingMode.UNNECESSARY);
                firstPurchase = firstPurchase == null || at.isBefore(firstPurchase) ? at : firstPurchase;
                lastPurchase = lastPurchase == null || at.isAfter(lastPurchase) ? at : lastPurchase;
            }
            addIfPresent(sessions, e.sessionId());
            addIfPresent(products, e.productId());
            addIfPresent(categories, e.categoryId());
            addIfPresent(devices, e.deviceType());
            addIfPresent(countries, e.country());
        }
        return new Stats(customer, events.size(), List.copyOf(byType.keySet()), List.copyOf(byType.values()), purchases, items, spent,
                firstSeen, lastSeen, firstPurchase, lastPurchase, events.size(), updated, sessions.size(), products.size(),
                categories.size(), List.copyOf(devices), List.copyOf(countries),
                purchases == 0 ? null : spent.divide(BigDecimal.valueOf(purchases), 4, RoundingMode.HALF_EVEN), spent);
    }

    private static void addIfPresent(Set<String> set, String value) {
        if (value != null) {
            set.add(value);
        }
    }

    private static int lowerBound(double[] cumulative, double value) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int weighted(Random random, int[] weights) {
        int sum = 0;
        for (int w : weights) {
            sum += w;
        }
        int pick = random.nextInt(sum);
        for (int i = 0; i < weights.length; i++) {
            pick -= weights[i];
            if (pick < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /** Profiles by customer id, in id order. */
    /** Events sent twice (identical copies of current events): what a producer retrying would post again. */
    public List<Event> replayedEvents() {
        return replayedEvents;
    }

    /** Older versions of some profiles, superseded by {@link #profiles} when posted first. */
    public List<Profile> supersededProfiles() {
        return staleProfiles;
    }

    /**
     * The same events, stats and profiles with other segments and members: for tests that define
     * segments by rule and derive the members themselves.
     */
    public SeedDataset withSegments(List<Segment> otherSegments, List<Member> otherMembers) {
        return new SeedDataset(workspaceId, events, stats, profiles, otherSegments, otherMembers, replayedEvents, staleStats,
                staleProfiles, List.of());
    }

    public Map<String, Profile> profilesByCustomer() {
        Map<String, Profile> out = new TreeMap<>();
        profiles.forEach(p -> out.put(p.customerId(), p));
        return Collections.unmodifiableMap(out);
    }

    /** Stats by customer id, in id order. */
    public Map<String, Stats> statsByCustomer() {
        Map<String, Stats> out = new LinkedHashMap<>();
        stats.forEach(s -> out.put(s.customerId(), s));
        return Collections.unmodifiableMap(out);
    }
}
