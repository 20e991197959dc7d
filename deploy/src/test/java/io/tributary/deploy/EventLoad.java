package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client posting {@code events} customer events to the Events API in NDJSON batches, paced to
 * {@code eventsPerSecond}, as a well-behaved producer would: a batch answered 503 or 429 is sent
 * again, whole, after the answer's Retry-After; one without an answer (connection refused or
 * timed out) is sent again after a second. So a batch may reach Kafka twice — the pipeline must
 * count it once. Only a 2xx (202) whose {@code successful_rows} covers the batch marks its events
 * acknowledged; any other answer is recorded and fails the scenario. With several gateways, batch
 * {@code b} goes to gateway {@code b mod n}, its retries too, as through a round-robin balancer.
 *
 * <p>Event {@code i} is a pure function of {@code i}, so the expected store contents and
 * aggregates are recomputed from the acknowledged indexes alone.
 */
final class EventLoad implements AutoCloseable {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final LocalDateTime BASE_TIME = LocalDateTime.of(2026, 11, 1, 0, 0);

    /** {@code copies} 2 posts every batch a second time once the first was acknowledged: a client retry after a lost answer. */
    record Plan(String prefix, int events, int customers, int batchRows, int threads, int eventsPerSecond, int copies) {
        Plan(String prefix, int events, int customers, int batchRows, int threads, int eventsPerSecond) {
            this(prefix, events, customers, batchRows, threads, eventsPerSecond, 1);
        }

        int batches() {
            return (events + batchRows - 1) / batchRows;
        }
    }

    /** When a 2xx was asked for and answered (System.nanoTime), by which gateway, for how many events. */
    record Acknowledgement(long sentNanos, long answeredNanos, int gateway, int events) {
    }

    /** What one customer's acknowledged events add up to, as customer_stats must show. */
    record Aggregate(long events, long purchases, BigDecimal spent) {
        Aggregate plus(Aggregate other) {
            return new Aggregate(events + other.events, purchases + other.purchases, spent.add(other.spent));
        }
    }

    private final List<Http> gateways;
    private final Plan plan;
    private final BitSet acknowledged = new BitSet();
    private final AtomicInteger nextBatch = new AtomicInteger();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong unanswered = new AtomicLong();
    private final AtomicLong retryAfterMissing = new AtomicLong();
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<Acknowledgement> acknowledgements = java.util.Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService pool;
    private final List<Future<?>> workers = new ArrayList<>();
    private volatile boolean stopped;
    private long startedNanos;

    EventLoad(Http gateway, Plan plan) {
        this(List.of(gateway), plan);
    }

    EventLoad(List<Http> gateways, Plan plan) {
        this.gateways = List.copyOf(gateways);
        this.plan = plan;
        this.pool = Executors.newFixedThreadPool(plan.threads());
    }

    EventLoad start() {
        startedNanos = System.nanoTime();
        for (int t = 0; t < plan.threads(); t++) {
            workers.add(pool.submit(this::sendBatches));
        }
        return this;
    }

    /** Waits until every batch is acknowledged (or the load gave up on one with an unexpected answer). */
    void awaitDone(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Future<?> worker : workers) {
            worker.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    /** Waits until at least {@code atLeast} events are acknowledged; fails after {@code timeout}. */
    void awaitAcknowledged(long atLeast, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acknowledgedCount() < atLeast) {
            if (System.nanoTime() > deadline || !unexpected.isEmpty()) {
                throw new AssertionError("only " + acknowledgedCount() + " events acknowledged after " + timeout + "; answers " + statuses()
                        + ", unexpected " + unexpected());
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private void sendBatches() {
        int batch;
        while (!stopped && (batch = nextBatch.getAndIncrement()) < plan.batches()) {
            pace(batch);
            int from = batch * plan.batchRows();
            int to = Math.min(plan.events(), from + plan.batchRows());
            String body = body(from, to);
            int gateway = batch % gateways.size();
            for (int copy = 0; copy < plan.copies(); copy++) {
                while (!stopped && !send(gateway, from, to, body)) {
                    // send() slept as the answer asked; the same batch goes again
                }
            }
        }
    }

    private void pace(int batch) {
        long dueNanos = startedNanos + (long) (batch * (double) plan.batchRows() / plan.eventsPerSecond() * 1e9);
        long wait = dueNanos - System.nanoTime();
        if (wait > 0) {
            sleep(TimeUnit.NANOSECONDS.toMillis(wait));
        }
    }

    /** True when Kafka acknowledged the whole batch. */
    private boolean send(int gateway, int from, int to, String body) {
        requests.incrementAndGet();
        long sentNanos = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = gateways.get(gateway).post("/v0/events?name=customer_events", body);
        } catch (UncheckedIOException e) {
            unanswered.incrementAndGet();
            sleep(1000);
            return false;
        }
        statuses.computeIfAbsent(response.statusCode(), s -> new AtomicLong()).incrementAndGet();
        switch (response.statusCode()) {
            case 200, 202 -> {
                JsonNode answer = Http.json(response);
                if (answer.path("successful_rows").asLong() != to - from || answer.path("quarantined_rows").asLong() != 0) {
                    unexpected.add("rows " + from + ".." + to + ": " + response.body());
                    stopped = true;
                    return true;
                }
                synchronized (acknowledged) {
                    acknowledged.set(from, to);
                }
                acknowledgements.add(new Acknowledgement(sentNanos, System.nanoTime(), gateway, to - from));
                return true;
            }
            case 503, 429 -> {
                long seconds = response.headers().firstValueAsLong("Retry-After").orElse(-1);
                if (seconds < 1) {
                    retryAfterMissing.incrementAndGet();
                    seconds = 1;
                }
                sleep(seconds * 1000);
                return false;
            }
            default -> {
                unexpected.add(response.statusCode() + " for rows " + from + ".." + to + ": " + response.body());
                stopped = true;
                return true;
            }
        }
    }

    private String body(int from, int to) {
        StringBuilder body = new StringBuilder((to - from) * 200);
        for (int i = from; i < to; i++) {
            body.append(eventJson(i)).append('\n');
        }
        return body.toString();
    }

    String eventId(int i) {
        return plan.prefix() + "-" + i;
    }

    String customerId(int i) {
        return plan.prefix() + "-c" + (i % plan.customers());
    }

    private static boolean isPurchase(int i) {
        return i % 4 == 0;
    }

    private static BigDecimal price(int i) {
        return BigDecimal.valueOf(100 + (i % 5000), 2); // 1.00 .. 50.99
    }

    private static int quantity(int i) {
        return 1 + i % 3;
    }

    String eventJson(int i) {
        String common = "{\"event_id\":\"" + eventId(i) + "\",\"customer_id\":\"" + customerId(i) + "\",\"event_timestamp\":\""
                + TIMESTAMP.format(BASE_TIME.plusSeconds(i)) + "\",\"session_id\":\"s" + (i / 20) + "\",\"device_type\":\"mobile\",\"country\":\"US\"";
        return isPurchase(i)
                ? common + ",\"event_type\":\"purchase\",\"product_id\":\"p" + (i % 97) + "\",\"price\":" + price(i).toPlainString() + ",\"quantity\":" + quantity(i) + "}"
                : common + ",\"event_type\":\"page_view\",\"page_url\":\"https://example.com/" + (i % 31) + "\"}";
    }

    /** Customer id → the aggregate of the acknowledged events, recomputed from their indexes. */
    Map<String, Aggregate> expectedAggregates() {
        Map<String, Aggregate> expected = new TreeMap<>();
        BitSet acked = acknowledgedIndexes();
        for (int i = acked.nextSetBit(0); i >= 0; i = acked.nextSetBit(i + 1)) {
            Aggregate one = isPurchase(i)
                    ? new Aggregate(1, 1, price(i).multiply(BigDecimal.valueOf(quantity(i))))
                    : new Aggregate(1, 0, BigDecimal.ZERO);
            expected.merge(customerId(i), one, Aggregate::plus);
        }
        return expected;
    }

    BitSet acknowledgedIndexes() {
        synchronized (acknowledged) {
            return (BitSet) acknowledged.clone();
        }
    }

    long acknowledgedCount() {
        synchronized (acknowledged) {
            return acknowledged.cardinality();
        }
    }

    /** Events handed to the gateway at least once. */
    long sent() {
        return Math.min((long) Math.min(nextBatch.get(), plan.batches()) * plan.batchRows(), plan.events());
    }

    Plan plan() {
        return plan;
    }

    /** Events acknowledged by gateway {@code gateway} (copies counted again). */
    long acknowledgedBy(int gateway) {
        return acknowledgements().stream().filter(a -> a.gateway() == gateway).mapToLong(Acknowledgement::events).sum();
    }

    long requests() {
        return requests.get();
    }

    long unanswered() {
        return unanswered.get();
    }

    long retryAfterMissing() {
        return retryAfterMissing.get();
    }

    long status(int code) {
        AtomicLong n = statuses.get(code);
        return n == null ? 0 : n.get();
    }

    String statuses() {
        return new TreeMap<>(statuses).toString();
    }

    List<Acknowledgement> acknowledgements() {
        synchronized (acknowledgements) {
            return List.copyOf(acknowledgements);
        }
    }

    List<String> unexpected() {
        return List.copyOf(unexpected);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stopped = true;
        pool.shutdownNow();
    }
}
