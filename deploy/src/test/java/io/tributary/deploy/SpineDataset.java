package io.tributary.deploy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A deterministic NDJSON data set for the spine's end-to-end test: {@code distinct} valid events
 * over {@code customers} customers, plus exact copies of earlier lines (client retries) and
 * malformed lines at known positions. Expected results are computed here, independently of
 * Tributary's code.
 */
final class SpineDataset {
    static final String[] TYPES = {"page_view", "search", "add_to_cart", "purchase"};

    record Event(String eventId, String customerId, String type, String timestamp, BigDecimal price, Integer quantity, String line) {
    }

    /** A line of the body: its text, and for malformed lines the field at fault (null when the whole line is unparseable). */
    record Line(String text, boolean malformed, String faultyField) {
    }

    record Stats(long events, Map<String, Long> byType, long purchases, long items, BigDecimal spent) {
    }

    final Map<String, Event> events = new LinkedHashMap<>();
    final List<Line> lines = new ArrayList<>();

    SpineDataset(long seed, int customers, int distinct, int duplicates, int malformed) {
        Random random = new Random(seed);
        List<Line> valid = new ArrayList<>();
        for (int i = 0; i < distinct; i++) {
            Event e = event(random, "ev-" + i, "cust-" + random.nextInt(customers));
            events.put(e.eventId(), e);
            valid.add(new Line(e.line(), false, null));
        }
        lines.addAll(valid);
        for (int i = 0; i < duplicates; i++) {
            int original = random.nextInt(lines.size());
            int at = original + 1 + random.nextInt(lines.size() - original);
            lines.add(at, lines.get(original)); // after its original, so it is a replay
        }
        String[] broken = {
            "{\"event_id\": \"bad\", \"customer_id\": ",
            "{\"customer_id\":\"cust-1\",\"event_type\":\"page_view\",\"event_timestamp\":\"2023-06-15 14:30:45\"}",
            "{\"event_id\":\"bad-ts\",\"customer_id\":\"cust-1\",\"event_type\":\"page_view\",\"event_timestamp\":\"2023-13-45 99:00:00\"}",
            "{\"event_id\":\"bad-price\",\"customer_id\":\"cust-1\",\"event_type\":\"purchase\",\"event_timestamp\":\"2023-06-15 14:30:45\",\"price\":\"abc\"}",
            "{\"event_id\":\"bad-qty\",\"customer_id\":\"cust-1\",\"event_type\":\"purchase\",\"event_timestamp\":\"2023-06-15 14:30:45\",\"quantity\":1.5}",
        };
        String[] faulty = {null, "event_id", "event_timestamp", "price", "quantity"};
        for (int i = 0; i < malformed; i++) {
            int kind = i % broken.length;
            lines.add(random.nextInt(lines.size() + 1), new Line(broken[kind], true, faulty[kind]));
        }
    }

    private static Event event(Random random, String id, String customer) {
        String type = TYPES[random.nextInt(TYPES.length)];
        String ts = String.format("2023-%02d-%02d %02d:%02d:%02d", 1 + random.nextInt(12), 1 + random.nextInt(28),
                random.nextInt(24), random.nextInt(60), random.nextInt(60));
        BigDecimal price = type.equals("purchase") || type.equals("add_to_cart")
                ? BigDecimal.valueOf(100 + random.nextInt(50_000), 2) : null;
        Integer quantity = type.equals("purchase") ? (random.nextInt(5) == 0 ? null : 1 + random.nextInt(4)) : null;
        StringBuilder line = new StringBuilder("{\"event_id\":\"").append(id).append("\",\"customer_id\":\"").append(customer)
                .append("\",\"event_type\":\"").append(type).append("\",\"event_timestamp\":\"").append(ts)
                .append("\",\"session_id\":\"s-").append(random.nextInt(1000)).append("\",\"device_type\":\"")
                .append(random.nextBoolean() ? "mobile" : "desktop").append("\",\"country\":\"").append(random.nextBoolean() ? "US" : "DE").append('"');
        if (price != null) {
            line.append(",\"price\":").append(price.toPlainString());
        }
        if (quantity != null) {
            line.append(",\"quantity\":").append(quantity);
        }
        line.append('}');
        return new Event(id, customer, type, ts, price, quantity, line.toString());
    }

    /** The body lines split into request bodies of at most {@code size} lines. */
    List<List<Line>> chunks(int size) {
        List<List<Line>> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i += size) {
            out.add(lines.subList(i, Math.min(lines.size(), i + size)));
        }
        return out;
    }

    /** Per customer, what the customer-stats topology must arrive at. */
    Map<String, Stats> expectedStats() {
        Map<String, List<Event>> byCustomer = new TreeMap<>();
        for (Event e : events.values()) {
            byCustomer.computeIfAbsent(e.customerId(), k -> new ArrayList<>()).add(e);
        }
        Map<String, Stats> out = new TreeMap<>();
        byCustomer.forEach((customer, list) -> {
            Map<String, Long> byType = new HashMap<>();
            long purchases = 0;
            long items = 0;
            BigDecimal spent = BigDecimal.ZERO;
            for (Event e : list) {
                byType.merge(e.type(), 1L, Long::sum);
                if (e.type().equals("purchase")) {
                    purchases++;
                    int q = e.quantity() == null ? 1 : e.quantity();
                    items += q;
                    spent = spent.add(e.price().multiply(BigDecimal.valueOf(q)));
                }
            }
            out.put(customer, new Stats(list.size(), byType, purchases, items, spent));
        });
        return out;
    }
}
