package io.tributary.deploy.bench;

import io.tributary.platform.store.AnalyticsStore;
import io.tributary.platform.store.StoreTable;
import io.tributary.platform.store.StoreUnavailableException;
import io.tributary.platform.store.StoreTables;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data set of the query phase, written straight into the store through
 * {@link AnalyticsStore#write} in batches of 100,000 rows (not through the gateway: loading 10M
 * events over HTTP and Kafka would take minutes and measure ingest, not queries). Events are
 * generated as a stream, so memory stays flat: per customer only running statistics are kept, from
 * which customer_stats rows are written (counts, sums and times exact; distinct sessions, products
 * and categories approximated). Then profiles (90% of customers), 20 segments and their members.
 */
final class QueryDataset {
    private static final Logger LOG = LoggerFactory.getLogger(QueryDataset.class);
    static final Instant START = Instant.parse("2023-01-01T00:00:00Z");
    static final Instant END = Instant.parse("2024-01-01T00:00:00Z");
    static final int SEGMENTS = 20;
    private static final int BATCH = 100_000;
    private static final String[] CITIES = {"New York", "London", "Berlin", "Paris", "Madrid", "São Paulo", "Tokyo", "Mumbai"};

    final String workspaceId;
    final int customers;
    final long events;
    final List<String> segmentNames = new ArrayList<>();
    long rowsWritten;

    QueryDataset(String workspaceId, int customers, long events) {
        this.workspaceId = workspaceId;
        this.customers = customers;
        this.events = events;
        for (int s = 0; s < SEGMENTS; s++) {
            segmentNames.add("Bench segment " + (char) ('A' + s));
        }
    }

    static String customerId(int c) {
        return String.format("cust-%06d", c);
    }

    /** Writes everything; {@code progress} receives the events written so far. */
    void load(AnalyticsStore store, long seed, LongConsumer progress) {
        Random random = new Random(seed);
        int n = customers;
        String[] home = new String[n];
        long[] windowStart = new long[n];
        long[] windowEnd = new long[n];
        double[] cumulative = new double[n];
        long span = END.getEpochSecond() - START.getEpochSecond();
        double total = 0;
        for (int c = 0; c < n; c++) {
            home[c] = EventLines.COUNTRIES[random.nextInt(EventLines.COUNTRIES.length)];
            long a = START.getEpochSecond() + (long) (random.nextDouble() * span);
            long b = START.getEpochSecond() + (long) (random.nextDouble() * span);
            windowStart[c] = Math.min(a, b);
            windowEnd[c] = Math.min(Math.max(a, b) + 3600, END.getEpochSecond() - 1);
            total += Math.pow(random.nextDouble(), 9) * 50 + 0.5; // a few customers ten times as busy as most
            cumulative[c] = total;
        }
        long[][] byType = new long[EventLines.EVENT_TYPES.length][n];
        long[] items = new long[n];
        long[] spentUnits = new long[n]; // 1/10000
        long[] firstSeen = filled(n, Long.MAX_VALUE);
        long[] lastSeen = filled(n, Long.MIN_VALUE);
        long[] firstPurchase = filled(n, Long.MAX_VALUE);
        long[] lastPurchase = filled(n, Long.MIN_VALUE);
        Instant ingested = Instant.parse("2024-01-02T00:00:00Z");

        List<Object[]> batch = new ArrayList<>(BATCH);
        for (long i = 0; i < events; i++) {
            int c = Arrays.binarySearch(cumulative, random.nextDouble() * total);
            c = c < 0 ? Math.min(-c - 1, n - 1) : c;
            long second = windowStart[c] + (long) (random.nextDouble() * (windowEnd[c] - windowStart[c]));
            int type = EventLines.weighted(random, EventLines.EVENT_TYPE_WEIGHTS);
            String typeName = EventLines.EVENT_TYPES[type];
            int product = random.nextInt(200);
            boolean hasProduct = type <= 3;
            BigDecimal price = null;
            Integer quantity = null;
            if (type == 3 || type == 2 || type == 1) {
                long cents = 199 + (product * 2477L) % 49_800;
                price = BigDecimal.valueOf(cents, 2);
                quantity = type == 1 ? null : 1 + random.nextInt(3);
                if (type == 3) {
                    items[c] += quantity;
                    spentUnits[c] += cents * 100 * quantity;
                    firstPurchase[c] = Math.min(firstPurchase[c], second);
                    lastPurchase[c] = Math.max(lastPurchase[c], second);
                }
            }
            byType[type][c]++;
            firstSeen[c] = Math.min(firstSeen[c], second);
            lastSeen[c] = Math.max(lastSeen[c], second);
            String country = random.nextInt(20) == 0 ? EventLines.COUNTRIES[random.nextInt(EventLines.COUNTRIES.length)] : home[c];
            batch.add(new Object[] {workspaceId, "qev-" + i, customerId(c), typeName, Instant.ofEpochSecond(second),
                    "sess-" + c + "-" + (second - windowStart[c]) / 7200, "https://example.com/" + (hasProduct ? "product/" + product : "home"),
                    hasProduct ? "prod-" + product : null, hasProduct ? "cat-" + (product % 12) : null, price, quantity,
                    EventLines.DEVICES[random.nextInt(EventLines.DEVICES.length)], country,
                    random.nextInt(3) == 0 ? null : "google.com", "Mozilla/5.0 (bench " + (c % 7) + ")", ingested, null, null, null, null, null, null});
            if (batch.size() == BATCH) {
                write(store, StoreTables.CUSTOMER_EVENTS, batch);
                progress.accept(i + 1);
            }
        }
        write(store, StoreTables.CUSTOMER_EVENTS, batch);
        progress.accept(events);

        for (int c = 0; c < n; c++) {
            long count = 0;
            List<String> keys = new ArrayList<>();
            List<Long> values = new ArrayList<>();
            for (int t = 0; t < byType.length; t++) {
                count += byType[t][c];
            }
            if (count == 0) {
                continue;
            }
            // keys sorted, as the stats topology writes them
            String[] sorted = EventLines.EVENT_TYPES.clone();
            Arrays.sort(sorted);
            for (String name : sorted) {
                long v = byType[Arrays.asList(EventLines.EVENT_TYPES).indexOf(name)][c];
                if (v > 0) {
                    keys.add(name);
                    values.add(v);
                }
            }
            long purchases = byType[3][c];
            BigDecimal spent = BigDecimal.valueOf(spentUnits[c], 4);
            batch.add(new Object[] {workspaceId, customerId(c), count, keys, values, purchases, items[c], spent,
                    Instant.ofEpochSecond(firstSeen[c]), Instant.ofEpochSecond(lastSeen[c]),
                    purchases == 0 ? null : Instant.ofEpochSecond(firstPurchase[c]),
                    purchases == 0 ? null : Instant.ofEpochSecond(lastPurchase[c]),
                    count, ingested, Math.max(1, count / 3), Math.min(count, 200), Math.min(count, 12),
                    List.of("desktop", "mobile"), List.of(home[c]),
                    purchases == 0 ? null : spent.divide(BigDecimal.valueOf(purchases), 4, java.math.RoundingMode.HALF_EVEN), spent});
            if (batch.size() == BATCH) {
                write(store, StoreTables.CUSTOMER_STATS, batch);
            }
        }
        write(store, StoreTables.CUSTOMER_STATS, batch);

        long version = 1;
        for (int c = 0; c < n; c++) {
            if (random.nextInt(10) == 0) {
                continue;
            }
            int country = Arrays.asList(EventLines.COUNTRIES).indexOf(home[c]);
            batch.add(new Object[] {workspaceId, customerId(c), "customer" + c + "@example.com", "First" + (c % 97), "Last" + (c % 89),
                    18 + random.nextInt(63), random.nextBoolean() ? "female" : "male", CITIES[country], home[c],
                    LocalDate.of(2022, 1, 1).plusDays(random.nextInt(700)), START.plusSeconds((long) (random.nextDouble() * span)),
                    new String[] {"High Value", "Regular", "New", "At Risk"}[random.nextInt(4)],
                    random.nextBoolean() ? BigDecimal.valueOf(random.nextInt(500_000), 2) : null, ingested, version++});
            if (batch.size() == BATCH) {
                write(store, StoreTables.CUSTOMER_PROFILES, batch);
            }
        }
        write(store, StoreTables.CUSTOMER_PROFILES, batch);

        for (int s = 0; s < SEGMENTS; s++) {
            batch.add(new Object[] {workspaceId, segmentId(s), segmentNames.get(s), "Bench segment " + s, LocalDate.of(2023, 1, 1),
                    LocalDate.of(2023, 6, 1), "total_spent > " + (100 * s), new String[] {"value-based", "behavioral", "demographic"}[s % 3],
                    ingested, version++, null, null, false});
        }
        write(store, StoreTables.CUSTOMER_SEGMENTS, batch);
        for (int s = 0; s < SEGMENTS; s++) {
            int percent = 2 + random.nextInt(25);
            for (int c = 0; c < n; c++) {
                if (random.nextInt(100) < percent) {
                    boolean member = random.nextInt(8) != 0;
                    boolean viaRule = random.nextInt(4) != 0;
                    batch.add(new Object[] {workspaceId, segmentId(s), customerId(c), segmentNames.get(s), member, viaRule, !viaRule,
                            member ? "entered" : "exited", START.plusSeconds((long) (random.nextDouble() * span)), version++});
                    if (batch.size() == BATCH) {
                        write(store, StoreTables.SEGMENT_MEMBERS, batch);
                    }
                }
            }
        }
        write(store, StoreTables.SEGMENT_MEMBERS, batch);
    }

    private static String segmentId(int s) {
        return String.format("bseg-%03d", s + 1);
    }

    /**
     * Writes a batch, retrying twice when the store is unreachable, as the sinks do: a repeated
     * batch is harmless (events are kept once, upserts are versioned). A 10M ClickHouse run once
     * lost a pooled connection mid-load (broken pipe) and ended there.
     */
    private void write(AnalyticsStore store, StoreTable table, List<Object[]> batch) {
        if (batch.isEmpty()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                store.write(table, batch);
                break;
            } catch (StoreUnavailableException e) {
                if (attempt == 3) {
                    throw e;
                }
                LOG.warn("writing {} rows to {} failed (attempt {} of 3), retrying: {}", batch.size(), table.name(), attempt, e.getMessage());
            }
        }
        rowsWritten += batch.size();
        batch.clear();
    }

    private static long[] filled(int n, long value) {
        long[] a = new long[n];
        Arrays.fill(a, value);
        return a;
    }
}
