package io.tributary.gateway.upload;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.platform.fuzz.FuzzInputs;
import io.tributary.platform.fuzz.Gen;
import io.tributary.platform.fuzz.PropertyRun;
import io.tributary.platform.health.HealthSettings;
import io.tributary.platform.health.ValueKind;
import io.tributary.platform.http.ApiException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the seed-004 customer upload parser: any body either parses or fails with a 400
 * {@link ApiException} whose message names a line/column (malformed JSON) or whose details name
 * the offending path (customers[i].field); never anything else, never internals.
 */
class CustomerUploadParserFuzzTest {
    private static final HealthSettings SETTINGS = HealthSettings.empty("ws")
            .withAttributes(Map.of("country_name", ValueKind.STRING, "customers_count", ValueKind.NUMBER, "has_avatar", ValueKind.BOOLEAN), 1)
            .withMetrics(Map.of("country", ValueKind.STRING, "resolved_tickets", ValueKind.NUMBER, "created_at", ValueKind.DATE), 1);
    private static final String VALID = """
            {"customers": [{"external_id": "12345", "name": "Knapp-Cruz Inc.", "owner_email": "owner@example.com",
              "attributes": {"country_name": "Czech Republic", "customers_count": 99, "has_avatar": true},
              "metrics": [{"date": "2024-04-29", "country": "Czechia", "resolved_tickets": 39, "created_at": "2024-08-15"}]},
             {"external_id": "2", "name": "B"}]}""";

    @Test
    void arbitraryUploadsParseOrFailWithANamed400() {
        PropertyRun.check(3_000, bodies(), CustomerUploadParserFuzzTest::parsesOrFailsWithANamed400);
    }

    private static void parsesOrFailsWithANamed400(byte[] body) {
        try {
            CustomerUploadParser.parse(new ByteArrayInputStream(body), SETTINGS, 5);
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(400);
            String text = new String(body, StandardCharsets.UTF_8);
            String all = e.getMessage() + " " + e.details().stream().map(d -> d.field() + ": " + d.message()).collect(Collectors.joining("; "));
            FuzzInputs.assertCleanMessage(all, text);
            boolean named = e.getMessage().contains(" at line ") || e.getMessage().contains("exceeds the maximum allowed")
                    || (!e.details().isEmpty() && e.details().stream().allMatch(d -> d.field() != null));
            assertThat(named).as("names what was wrong: %s", all).isTrue();
        }
    }

    private static Function<RandomGenerator, byte[]> bodies() {
        Function<RandomGenerator, String> text = Gen.oneOf(FuzzInputs.anyText(), FuzzInputs.mutated(Gen.just(VALID)),
                Gen.ints(1, 100).andThen(n -> "{\"customers\": [{\"external_id\": \"1\", \"name\": \"n\", \"attributes\": "
                        + "{\"a\":".repeat(n) + "1" + "}".repeat(n) + "}]}"));
        Function<RandomGenerator, byte[]> invalidUtf8 = Gen.ints(0, VALID.length()).andThen(at -> {
            byte[] b = VALID.getBytes(StandardCharsets.UTF_8);
            b[at == b.length ? at - 1 : at] = (byte) 0xC3;
            return b;
        });
        return Gen.oneOf(text.andThen(s -> s.getBytes(StandardCharsets.UTF_8)), invalidUtf8, Gen.bytes(200));
    }
}
