package io.tributary.query.pipes;

import io.tributary.query.testdata.RuleComparison;
import io.tributary.query.testdata.SeedDataset;
import io.tributary.query.testdata.SeedDataset.Event;
import io.tributary.query.testdata.SeedDataset.Member;
import io.tributary.query.testdata.SeedDataset.Profile;
import io.tributary.query.testdata.SeedDataset.Segment;
import io.tributary.query.testdata.SeedDataset.Stats;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What seed 002's pipes must return for a {@link SeedDataset}, computed in plain Java from the
 * generated rows (no SQL), with the definitions query-api/README.md documents. Rows hold the
 * normalised values stores return (String, Long, BigDecimal, LocalDateTime, LocalDate, null).
 */
public final class Seed002Expectations {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final SeedDataset data;
    private final Map<String, Profile> profiles;
    private final Map<String, Stats> stats;

    public Seed002Expectations(SeedDataset data) {
        this.data = data;
        this.profiles = data.profilesByCustomer();
        this.stats = data.statsByCustomer();
    }

    // ---- customer_purchase_history

    public List<List<Object>> purchaseHistory(String customerId, Instant start, Instant end, String categoryId, int limit) {
        return data.events.stream()
                .filter(e -> e.customerId().equals(customerId) && e.eventType().equals("purchase"))
                .filter(e -> start == null || !e.eventTimestamp().isBefore(start))
                .filter(e -> end == null || !e.eventTimestamp().isAfter(end))
                .filter(e -> categoryId == null || categoryId.equals(e.categoryId()))
                .sorted(Comparator.comparing(Event::eventTimestamp).reversed().thenComparing(Event::eventId))
                .limit(limit)
                .map(e -> row(e.eventId(), e.customerId(), time(e.eventTimestamp()), e.productId(), e.categoryId(), e.price(),
                        e.quantity() == null ? null : e.quantity().longValue(),
                        e.price() == null ? null : e.price().multiply(BigDecimal.valueOf(e.quantity() == null ? 1 : e.quantity())),
                        e.sessionId(), e.deviceType(), e.country()))
                .toList();
    }

    // ---- customer_behavioral_analysis

    public List<List<Object>> behavioralAnalysis(Instant start, Instant end, String eventType, String country, String device) {
        List<Event> filtered = data.events.stream()
                .filter(e -> start == null || !e.eventTimestamp().isBefore(start))
                .filter(e -> end == null || !e.eventTimestamp().isAfter(end))
                .filter(e -> country == null || country.equals(e.country()))
                .filter(e -> device == null || device.equals(e.deviceType()))
                .toList();
        Map<LocalDate, Set<String>> active = new TreeMap<>();
        Map<LocalDate, Set<String>> buyers = new TreeMap<>();
        Map<List<Object>, List<Event>> groups = new TreeMap<>(Comparator.<List<Object>, LocalDate>comparing(k -> (LocalDate) k.get(0))
                .thenComparing(k -> (String) k.get(1)));
        for (Event e : filtered) {
            LocalDate period = LocalDate.ofInstant(e.eventTimestamp(), ZoneOffset.UTC).withDayOfMonth(1);
            active.computeIfAbsent(period, k -> new HashSet<>()).add(e.customerId());
            if (e.eventType().equals("purchase")) {
                buyers.computeIfAbsent(period, k -> new HashSet<>()).add(e.customerId());
            }
            if (eventType == null || eventType.equals(e.eventType())) {
                groups.computeIfAbsent(List.of(period, e.eventType()), k -> new ArrayList<>()).add(e);
            }
        }
        List<List<Object>> rows = new ArrayList<>();
        groups.forEach((key, events) -> {
            LocalDate period = (LocalDate) key.get(0);
            BigDecimal revenue = BigDecimal.ZERO;
            for (Event e : events) {
                if (e.eventType().equals("purchase") && e.price() != null) {
                    revenue = revenue.add(e.price().multiply(BigDecimal.valueOf(e.quantity() == null ? 1 : e.quantity())));
                }
            }
            int activeCount = active.get(period).size();
            int buyerCount = buyers.getOrDefault(period, Set.of()).size();
            rows.add(row(period, key.get(1), (long) events.size(),
                    events.stream().map(Event::customerId).distinct().count(),
                    events.stream().map(Event::sessionId).filter(Objects::nonNull).distinct().count(),
                    revenue,
                    BigDecimal.valueOf(buyerCount).divide(BigDecimal.valueOf(activeCount), 4, RoundingMode.HALF_UP)));
        });
        return rows;
    }

    // ---- segment_customers

    public List<List<Object>> segmentCustomers(String segmentName, String country, Integer minAge, Integer maxAge, BigDecimal minLtv, int limit) {
        Map<String, Segment> named = new TreeMap<>();
        data.segments.stream().filter(s -> s.segmentName().equals(segmentName)).forEach(s -> named.put(s.segmentId(), s));
        List<List<Object>> rows = new ArrayList<>();
        for (Member m : data.members) {
            if (!m.member() || !named.containsKey(m.segmentId())) {
                continue;
            }
            Profile p = profiles.get(m.customerId());
            Stats s = stats.get(m.customerId());
            BigDecimal ltv = p != null && p.lifetimeValue() != null ? p.lifetimeValue() : s == null ? null : s.totalSpent();
            if (country != null && (p == null || !country.equals(p.country()))
                    || minAge != null && (p == null || p.age() == null || p.age() < minAge)
                    || maxAge != null && (p == null || p.age() == null || p.age() > maxAge)
                    || minLtv != null && (ltv == null || ltv.compareTo(minLtv) < 0)) {
                continue;
            }
            rows.add(row(m.segmentId(), named.get(m.segmentId()).segmentName(), m.customerId(),
                    p == null ? null : p.email(), p == null ? null : p.firstName(), p == null ? null : p.lastName(),
                    p == null || p.age() == null ? null : p.age().longValue(), p == null ? null : p.gender(),
                    p == null ? null : p.city(), p == null ? null : p.country(), p == null ? null : p.signupDate(),
                    p == null ? null : time(p.lastLogin()), p == null ? null : p.customerSegment(),
                    ltv, s == null ? null : s.totalSpent(), s == null ? null : s.purchaseCount(), s == null ? null : time(s.lastSeen()),
                    m.viaRule() ? 1L : 0L, m.viaProfile() ? 1L : 0L, time(m.changedAt())));
        }
        rows.sort(Comparator.<List<Object>, BigDecimal>comparing(r -> (BigDecimal) r.get(13), Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(r -> (String) r.get(2))
                .thenComparing(r -> (String) r.get(0)));
        return rows.subList(0, Math.min(limit, rows.size()));
    }

    // ---- segment_metrics

    public List<List<Object>> segmentMetrics(String country) {
        Instant activeSince = latestEvent().minus(Duration.ofDays(30));
        List<List<Object>> rows = new ArrayList<>();
        for (Segment segment : data.segments) {
            long customers = 0;
            long active = 0;
            long purchases = 0;
            long events = 0;
            long ltvCount = 0;
            BigDecimal revenue = BigDecimal.ZERO;
            BigDecimal ltvSum = BigDecimal.ZERO;
            for (Member m : data.members) {
                if (!m.member() || !m.segmentId().equals(segment.segmentId())) {
                    continue;
                }
                Profile p = profiles.get(m.customerId());
                if (country != null && (p == null || !country.equals(p.country()))) {
                    continue;
                }
                Stats s = stats.get(m.customerId());
                customers++;
                if (s != null) {
                    active += s.lastSeen().isBefore(activeSince) ? 0 : 1;
                    purchases += s.purchaseCount();
                    events += s.eventCount();
                    revenue = revenue.add(s.totalSpent());
                }
                BigDecimal ltv = p != null && p.lifetimeValue() != null ? p.lifetimeValue() : s == null ? null : s.totalSpent();
                if (ltv != null) {
                    ltvCount++;
                    ltvSum = ltvSum.add(ltv);
                }
            }
            rows.add(row(segment.segmentId(), segment.segmentName(), segment.segmentType(), customers, active, revenue,
                    ltvCount == 0 ? null : ltvSum.divide(BigDecimal.valueOf(ltvCount), 2, RoundingMode.HALF_UP),
                    purchases == 0 ? null : revenue.divide(BigDecimal.valueOf(purchases), 2, RoundingMode.HALF_UP),
                    customers == 0 ? null : BigDecimal.valueOf(events).divide(BigDecimal.valueOf(customers), 2, RoundingMode.HALF_UP)));
        }
        rows.sort(Comparator.<List<Object>, Long>comparing(r -> (Long) r.get(3), Comparator.reverseOrder())
                .thenComparing(r -> (String) r.get(1))
                .thenComparing(r -> (String) r.get(0)));
        return rows;
    }

    // ---- customer_segmentation_suggestions

    /**
     * The suggestions. Counts and revenue come from evaluating each expected rule's text over
     * customer_stats with {@link #matcher}, so the rule posted back as a segment matches exactly the
     * customers reported.
     */
    public List<List<Object>> segmentationSuggestions() {
        List<Stats> buyers = data.stats.stream().filter(s -> s.purchaseCount() > 0).toList();
        if (buyers.isEmpty()) {
            return List.of();
        }
        long[] frequencies = buyers.stream().mapToLong(Stats::purchaseCount).sorted().toArray();
        long[] cents = buyers.stream().mapToLong(s -> s.totalSpent().movePointRight(2).setScale(0, RoundingMode.FLOOR).longValueExact())
                .sorted().toArray();
        int n = buyers.size();
        int i50 = (n - 1) * 50 / 100;
        int i80 = (n - 1) * 80 / 100;
        long f50 = frequencies[i50];
        long f80 = frequencies[i80];
        BigDecimal m50 = BigDecimal.valueOf(cents[i50], 2);
        BigDecimal m80 = BigDecimal.valueOf(cents[i80], 2);
        Instant reference = latestEvent();
        Instant recentSince = reference.minus(Duration.ofDays(30));
        Instant lapsedBefore = reference.minus(Duration.ofDays(90));
        String recent = "'" + TIMESTAMP.format(recentSince) + "'";
        String lapsed = "'" + TIMESTAMP.format(lapsedBefore) + "'";
        BigDecimal total = data.stats.stream().map(Stats::totalSpent).reduce(BigDecimal.ZERO, BigDecimal::add);

        String[][] suggestions = {
                {"Champions", "Bought recently, often and the most: top-20% purchase count and total spent, last purchase within 30 days of the latest event",
                        "purchase_count >= " + f80 + " AND total_spent >= " + m80.toPlainString() + " AND last_purchase_at >= " + recent},
                {"Loyal Customers", "Buy often: top-20% purchase count, last purchase within 90 days of the latest event",
                        "purchase_count >= " + f80 + " AND last_purchase_at >= " + lapsed},
                {"Big Spenders", "Top-20% total spent, whenever they bought", "total_spent >= " + m80.toPlainString()},
                {"At Risk", "At least the median purchase count and total spent, but no purchase in the 90 days before the latest event",
                        "purchase_count >= " + f50 + " AND total_spent >= " + m50.toPlainString() + " AND last_purchase_at < " + lapsed},
                {"Hibernating", "Below the median purchase count and no purchase in the 90 days before the latest event",
                        "purchase_count < " + f50 + " AND last_purchase_at < " + lapsed},
                {"New Customers", "First purchase within 30 days of the latest event", "first_purchase_at >= " + recent}};
        List<List<Object>> rows = new ArrayList<>();
        for (String[] s : suggestions) {
            Predicate<Stats> rule = matcher(s[2]);
            List<Stats> matched = data.stats.stream().filter(rule).toList();
            BigDecimal revenue = matched.stream().map(Stats::totalSpent).reduce(BigDecimal.ZERO, BigDecimal::add);
            rows.add(row(s[0], s[1], s[2], (long) matched.size(), revenue,
                    total.signum() == 0 ? BigDecimal.ZERO : revenue.divide(total, 4, RoundingMode.HALF_UP),
                    time(reference), (long) n, f50, f80, m50, m80, time(recentSince), time(lapsedBefore)));
        }
        return rows;
    }

    private static final Pattern CONDITION = Pattern.compile("([a-z_]+) (>=|<=|!=|=|>|<) ('([^']*)'|[0-9.]+)");

    /**
     * Evaluates a rule of the segment rule language over customer_stats, for the subset the
     * suggestions use: comparisons of a field with a number or a quoted timestamp joined by AND. A
     * comparison with a missing (null) value is false.
     */
    static Predicate<Stats> matcher(String rule) {
        List<Predicate<Stats>> conditions = new ArrayList<>();
        for (String part : rule.split(" AND ")) {
            Matcher m = CONDITION.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a condition this evaluator knows: " + part);
            }
            String field = m.group(1);
            String op = m.group(2);
            Comparable<?> literal = m.group(4) != null
                    ? LocalDateTime.parse(m.group(4).replace(' ', 'T')).toInstant(ZoneOffset.UTC)
                    : new BigDecimal(m.group(3));
            conditions.add(s -> Boolean.TRUE.equals(RuleComparison.compare(field(s, field), op, literal)));
        }
        return s -> conditions.stream().allMatch(c -> c.test(s));
    }

    private static Object field(Stats s, String field) {
        return switch (field) {
            case "purchase_count" -> BigDecimal.valueOf(s.purchaseCount());
            case "total_spent" -> s.totalSpent();
            case "last_purchase_at" -> s.lastPurchaseAt();
            case "first_purchase_at" -> s.firstPurchaseAt();
            default -> throw new IllegalArgumentException("field " + field);
        };
    }

    /** The pipes' reference time: the greatest last_seen of the workspace's customer_stats. */
    Instant latestEvent() {
        return data.stats.stream().map(Stats::lastSeen).max(Comparator.naturalOrder()).orElseThrow();
    }

    private static LocalDateTime time(Instant t) {
        return t == null ? null : LocalDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static List<Object> row(Object... values) {
        return Arrays.asList(values);
    }
}
