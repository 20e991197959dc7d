package io.tributary.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** NDJSON customer events with every field of seed 002, as the Events API receives them. */
final class BenchData {
    private static final String[] TYPES = {"page_view", "product_view", "add_to_cart", "purchase", "search", "login"};
    private static final String[] COUNTRIES = {"US", "GB", "DE", "FR", "ES", "BR", "JP", "IN"};
    private static final String[] DEVICES = {"mobile", "desktop", "tablet"};

    private BenchData() {
    }

    static byte[] ndjson(int lines, long seed) {
        Random random = new Random(seed);
        StringBuilder s = new StringBuilder(lines * 420);
        for (int i = 0; i < lines; i++) {
            int product = random.nextInt(200);
            s.append("{\"event_id\":\"ev-").append(i).append("\",\"customer_id\":\"cust-").append(random.nextInt(100_000))
                    .append("\",\"event_type\":\"").append(TYPES[random.nextInt(TYPES.length)])
                    .append("\",\"event_timestamp\":\"2023-06-").append(10 + random.nextInt(18)).append(" 14:30:").append(10 + random.nextInt(50))
                    .append("\",\"session_id\":\"sess-").append(random.nextInt(1_000_000))
                    .append("\",\"page_url\":\"https://example.com/product/").append(product)
                    .append("\",\"product_id\":\"prod-").append(product).append("\",\"category_id\":\"cat-").append(product % 12)
                    .append("\",\"price\":").append(1 + random.nextInt(499)).append('.').append(10 + random.nextInt(89))
                    .append(",\"quantity\":").append(1 + random.nextInt(4))
                    .append(",\"device_type\":\"").append(DEVICES[random.nextInt(DEVICES.length)])
                    .append("\",\"country\":\"").append(COUNTRIES[random.nextInt(COUNTRIES.length)])
                    .append("\",\"referrer\":\"google.com\",\"user_agent\":\"Mozilla/5.0 (iPhone; CPU iPhone OS 13_2_3 like Mac OS X)\"}\n");
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }
}
