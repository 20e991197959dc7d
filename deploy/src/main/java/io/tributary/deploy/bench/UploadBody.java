package io.tributary.deploy.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;

/**
 * The body of the bench's customer upload (seed 004's {@code POST /api/v1/customers}), written to a
 * file so that neither its generation nor a copy of it sits in the heap the node under test uses:
 * {@code customers} customers, each with {@code dates} metric items (consecutive dates) carrying
 * the three metrics of {@link #METRICS}, a seats and a plan attribute and one of {@link #OWNERS} as
 * owner. Deterministic for a seed.
 */
final class UploadBody {
    /** Metric codenames and their types; every item carries all three. */
    static final List<String[]> METRICS = List.of(new String[] {"logins", "number"}, new String[] {"tickets", "number"},
            new String[] {"promoter", "boolean"});
    /** Attribute codenames and their types. */
    static final List<String[]> ATTRIBUTES = List.of(new String[] {"seats", "number"}, new String[] {"plan", "string"});
    /** Owners of the uploaded customers, made members of the workspace so that none is reported unlinked. */
    static final List<String> OWNERS = List.of("ana@bench.example", "ben@bench.example", "chloe@bench.example", "dev@bench.example");
    /**
     * Thresholds on logins (weight 2), thresholds on tickets (lower is better) and a percentile of
     * seats: the percentile makes the scorer rank every customer of the workspace.
     */
    static final String SCORING = """
            {"components": [
              {"source": "metric", "codename": "logins", "weight": 2, "normalisation": "thresholds", "thresholds": [0, 10, 50, 100]},
              {"source": "metric", "codename": "tickets", "direction": "lower_is_better", "normalisation": "thresholds", "thresholds": [0, 5, 20]},
              {"source": "attribute", "codename": "seats", "normalisation": "percentile"}]}""";
    private static final String[] PLANS = {"free", "team", "business", "enterprise"};

    private UploadBody() {
    }

    static final String ID_PREFIX = "upl-cust-";

    /** Writes the body into {@code file}; returns its size in bytes. */
    static long write(Path file, int customers, int dates, long seed) throws IOException {
        Random random = new Random(seed);
        LocalDate first = LocalDate.of(2025, 1, 1);
        String[] dateTexts = new String[dates];
        for (int d = 0; d < dates; d++) {
            dateTexts[d] = first.plusDays(d).toString();
        }
        StringBuilder sb = new StringBuilder(64 * dates + 256);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out.write("{\"customers\":[".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < customers; i++) {
                sb.setLength(0);
                if (i > 0) {
                    sb.append(",\n");
                }
                sb.append("{\"external_id\":\"").append(ID_PREFIX).append(i).append("\",\"name\":\"Bench Customer ").append(i)
                        .append("\",\"owner_email\":\"").append(OWNERS.get(i % OWNERS.size()))
                        .append("\",\"attributes\":{\"seats\":").append(1 + random.nextInt(500))
                        .append(",\"plan\":\"").append(PLANS[random.nextInt(PLANS.length)]).append("\"},\"metrics\":[");
                for (int d = 0; d < dates; d++) {
                    if (d > 0) {
                        sb.append(',');
                    }
                    int tenthsOfTickets = random.nextInt(300);
                    sb.append("{\"date\":\"").append(dateTexts[d]).append("\",\"logins\":").append(random.nextInt(120))
                            .append(",\"tickets\":").append(tenthsOfTickets / 10).append('.').append(tenthsOfTickets % 10)
                            .append(",\"promoter\":").append(random.nextBoolean()).append('}');
                }
                sb.append("]}");
                out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            }
            out.write("]}".getBytes(StandardCharsets.US_ASCII));
        }
        return Files.size(file);
    }
}
