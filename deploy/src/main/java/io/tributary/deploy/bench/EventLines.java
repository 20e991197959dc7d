package io.tributary.deploy.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * NDJSON bodies of customer events for the ingest phases, built once as templates: each body is
 * {@code lines} events whose event ids end in a 10-digit placeholder, so that a request body is an
 * array copy plus the ids patched in (the load generator must not compete with the gateway for CPU).
 * Every line has all of seed 002's fields, like the README's example event.
 */
final class EventLines {
    static final String[] EVENT_TYPES = {"page_view", "product_view", "add_to_cart", "purchase", "search", "login"};
    static final int[] EVENT_TYPE_WEIGHTS = {45, 22, 11, 8, 9, 5};
    static final String[] COUNTRIES = {"US", "GB", "DE", "FR", "ES", "BR", "JP", "IN"};
    static final String[] DEVICES = {"mobile", "desktop", "tablet"};
    private static final int ID_DIGITS = 10;
    private static final String LINE_HEAD = "{\"event_id\":\"";

    /** One body template: the bytes and where each line's id digits start. */
    record Template(byte[] bytes, int[] idOffsets, int idPrefixLength) {
        int lines() {
            return idOffsets.length;
        }

        /** A fresh body whose line i carries event id number {@code firstSeq + i}. */
        byte[] fill(long firstSeq) {
            return fill(firstSeq, idOffsets.length);
        }

        /** As {@link #fill(long)}, with only the first {@code count} lines. */
        byte[] fill(long firstSeq, int count) {
            // the line after the last one kept starts where its id prefix does, minus the {"event_id":" before it
            int end = count >= idOffsets.length ? bytes.length : idOffsets[count] - idPrefixLength - LINE_HEAD.length();
            byte[] body = java.util.Arrays.copyOf(bytes, end);
            for (int i = 0; i < Math.min(count, idOffsets.length); i++) {
                writeDigits(body, idOffsets[i], firstSeq + i);
            }
            return body;
        }
    }

    private final String idPrefix;
    private final List<Template> templates;

    /**
     * @param runId     distinguishes this run's event ids from earlier runs' (ClickHouse keeps data)
     * @param customers customer ids are {@code <customerPrefix>NNNNNN} over this many customers
     */
    EventLines(String runId, String customerPrefix, int customers, int linesPerBody, int templateCount, long seed) {
        this.idPrefix = "e-" + runId + "-";
        Random random = new Random(seed);
        List<Template> list = new ArrayList<>();
        for (int t = 0; t < templateCount; t++) {
            StringBuilder text = new StringBuilder(linesPerBody * 420);
            int[] offsets = new int[linesPerBody];
            for (int i = 0; i < linesPerBody; i++) {
                text.append(LINE_HEAD).append(idPrefix);
                offsets[i] = text.length(); // ASCII so far: char offset = byte offset
                text.append("0".repeat(ID_DIGITS)).append("\",");
                appendFields(text, customerPrefix + String.format("%06d", random.nextInt(customers)), random);
                text.append("}\n");
            }
            list.add(new Template(text.toString().getBytes(StandardCharsets.US_ASCII), offsets, idPrefix.length()));
        }
        this.templates = List.copyOf(list);
    }

    String idPrefix() {
        return idPrefix;
    }

    Template template(long n) {
        return templates.get((int) Math.floorMod(n, (long) templates.size()));
    }

    /** The fields after event_id, without braces. */
    static void appendFields(StringBuilder text, String customerId, Random random) {
        String type = EVENT_TYPES[weighted(random, EVENT_TYPE_WEIGHTS)];
        int product = random.nextInt(200);
        text.append("\"customer_id\":\"").append(customerId).append("\",")
                .append("\"event_type\":\"").append(type).append("\",")
                .append("\"event_timestamp\":\"2023-").append(two(1 + random.nextInt(12))).append('-').append(two(1 + random.nextInt(28)))
                .append(' ').append(two(random.nextInt(24))).append(':').append(two(random.nextInt(60))).append(':')
                .append(two(random.nextInt(60))).append("\",")
                .append("\"session_id\":\"sess-").append(random.nextInt(1_000_000)).append("\",")
                .append("\"page_url\":\"https://example.com/product/").append(product).append("\",")
                .append("\"product_id\":\"prod-").append(product).append("\",")
                .append("\"category_id\":\"cat-").append(product % 12).append("\",")
                .append("\"price\":").append(1 + random.nextInt(499)).append('.').append(two(random.nextInt(100))).append(',')
                .append("\"quantity\":").append(1 + random.nextInt(4)).append(',')
                .append("\"device_type\":\"").append(DEVICES[random.nextInt(DEVICES.length)]).append("\",")
                .append("\"country\":\"").append(COUNTRIES[random.nextInt(COUNTRIES.length)]).append("\",")
                .append("\"referrer\":\"google.com\",")
                .append("\"user_agent\":\"Mozilla/5.0 (iPhone; CPU iPhone OS 13_2_3 like Mac OS X)\"");
    }

    static int weighted(Random random, int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int pick = random.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            pick -= weights[i];
            if (pick < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }

    /** Writes {@code value} as 10 zero-padded ASCII digits at {@code offset}. */
    static void writeDigits(byte[] b, int offset, long value) {
        long v = value;
        for (int d = ID_DIGITS - 1; d >= 0; d--) {
            b[offset + d] = (byte) ('0' + (v % 10));
            v /= 10;
        }
    }

    /** Where {@code needle} first occurs in {@code haystack}, or -1. */
    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
