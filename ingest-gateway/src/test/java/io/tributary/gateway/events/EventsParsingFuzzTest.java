package io.tributary.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.tributary.platform.fuzz.FuzzInputs;
import io.tributary.platform.fuzz.Gen;
import io.tributary.platform.fuzz.PropertyRun;
import io.tributary.platform.http.ApiException;
import io.tributary.platform.http.JsonErrors;
import io.tributary.schemas.Datasources;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the Events API's body path as the service runs it: {@link EventsBody#read} (plain and
 * gzip), {@link BodyRows} and {@link RowConverter} (hence every {@link FieldReader}) of every
 * datasource. Properties: reading a body throws nothing but a 4xx {@link ApiException}; splitting
 * and converting never throw; every refused row carries a reason without internals, and the row
 * numbers are lines of the body.
 */
class EventsParsingFuzzTest {
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(JsonErrors.MAX_NESTING_DEPTH).build()).build();
    private static final EventsLimits LIMITS = EventsLimits.defaults().withMaxBodyBytes(64 * 1024).withMaxDecodedBytes(128 * 1024)
            .withMaxStringChars(256);
    private static final List<RowConverter> CONVERTERS = Datasources.all().stream()
            .map(ds -> RowConverter.forDatasource(ds, JSON, LIMITS.maxStringChars())).toList();
    private static final BodyRows ROWS = new BodyRows(JSON);
    private static final Instant NOW = Instant.parse("2024-01-02T03:04:05Z");

    private static final List<String> VALID_ROWS = List.of(
            "{\"event_id\":\"e-1\",\"customer_id\":\"c-1\",\"event_type\":\"purchase\",\"event_timestamp\":\"2024-01-01 10:00:00\","
                    + "\"price\":49.99,\"quantity\":2,\"session_id\":\"s\",\"page_url\":\"/p?x=1\",\"country\":\"US\"}",
            "{\"customer_id\":\"c-2\",\"email\":\"a@b.co\",\"first_name\":\"Ann\",\"age\":31,\"signup_date\":\"2023-06-15\","
                    + "\"updated_at\":\"2024-01-01T00:00:00Z\"}",
            "{\"segment_id\":\"vip\",\"segment_name\":\"VIP\",\"rule\":\"total_spent > 1000 AND country IN ('US')\","
                    + "\"created_at\":\"2024-01-01 00:00:00\"}");

    @Test
    void arbitraryTextBodiesAreRowsOrNamed4xx() {
        PropertyRun.check(2_500, textBodies(), body -> check(body.getBytes(StandardCharsets.UTF_8), false));
    }

    @Test
    void arbitraryBytesIncludingInvalidUtf8AreRowsOrNamed4xx() {
        PropertyRun.check(1_500, byteBodies(), body -> check(body, false));
    }

    record MaybeGzipped(String body, boolean compress) {
    }

    @Test
    void gzipAndNotGzipBodiesAreRowsOrNamed4xx() {
        Function<RandomGenerator, String> bodies = textBodies();
        PropertyRun.check(500, random -> new MaybeGzipped(bodies.apply(random), random.nextBoolean()), input -> {
            byte[] bytes = input.body().getBytes(StandardCharsets.UTF_8);
            check(input.compress() ? gzip(bytes) : bytes, true);
        });
    }

    /** Found by arbitraryBytesIncludingInvalidUtf8AreRowsOrNamed4xx in CI (seed -4051330462083320665 of the property runner used then): a row Jackson reads as no token at all. */
    @Test
    void aRowOfANulByteIsAnInvalidRowNotAnError() {
        check(new byte[] {13, 0}, false);
        assertThat(FieldReader.describe(null)).isEqualTo("no JSON value");
    }

    @Test
    void rowsNestedPastTheLimitAndInvalidUtf8AreRefusedSayingWhy() {
        RowConverter events = CONVERTERS.get(0);
        byte[] deep = ("{\"customer_id\":\"c\",\"x\":" + "[".repeat(65) + "]".repeat(65) + "}").getBytes(StandardCharsets.UTF_8);
        assertThat(((ConvertedRow.Invalid) events.convert(deep, 0, deep.length, "ws-1", NOW)).reason())
                .isEqualTo("malformed JSON: Document nesting depth (65) exceeds the maximum allowed (64)");
        byte[] badUtf8 = "{\"customer_id\":\"c\u00e9\"}".getBytes(StandardCharsets.UTF_8);
        badUtf8[18] = (byte) 0xFF;
        assertThat(((ConvertedRow.Invalid) events.convert(badUtf8, 0, badUtf8.length, "ws-1", NOW)).reason())
                .startsWith("malformed JSON at column").contains("Invalid UTF-8");
    }

    private static void check(byte[] bytes, boolean declaredGzip) {
        EventsBody body;
        try {
            body = EventsBody.read(new ByteArrayInputStream(bytes), bytes.length, declaredGzip ? "gzip" : null, LIMITS);
        } catch (ApiException e) {
            assertThat(e.status()).isBetween(400, 499);
            FuzzInputs.assertCleanMessage(e.getMessage());
            return;
        }
        long lines = 1;
        for (int i = 0; i < body.length(); i++) {
            if (body.bytes()[i] == '\n') {
                lines++;
            }
        }
        long maxLine = lines;
        for (RowConverter converter : CONVERTERS) {
            ROWS.forEach(body, (line, off, len) -> {
                assertThat(line).isBetween(1L, maxLine);
                ConvertedRow row = converter.convert(body.bytes(), off, len, "ws-1", NOW);
                if (row instanceof ConvertedRow.Invalid invalid) {
                    FuzzInputs.assertCleanMessage(invalid.reason(), new String(body.bytes(), off, len, StandardCharsets.UTF_8));
                } else {
                    assertThat(((ConvertedRow.Valid) row).key()).startsWith("ws-1");
                }
                return true;
            });
        }
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static Function<RandomGenerator, String> textBodies() {
        Function<RandomGenerator, String> row = Gen.oneOf(FuzzInputs.mutated(Gen.elementOf(VALID_ROWS)), FuzzInputs.anyText(),
                Gen.elementOf(VALID_ROWS),
                Gen.ints(1, 200).andThen(n -> "{\"customer_id\":\"c\",\"x\":" + "[".repeat(n) + "]".repeat(n) + "}"),
                Gen.ints(200, 1_000).andThen(n -> "{\"customer_id\":\"" + "x".repeat(n) + "\"}"));
        return Gen.listOf(row, 1, 8).andThen(rows -> String.join(
                rows.size() % 3 == 0 ? "\r\n" : "\n", rows));
    }

    private static Function<RandomGenerator, byte[]> byteBodies() {
        Function<RandomGenerator, byte[]> random = Gen.bytes(300);
        Function<RandomGenerator, String> rows = Gen.elementOf(VALID_ROWS);
        Function<RandomGenerator, byte[]> bads = Gen.elementOf(
                new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {0});
        // a valid row with bytes that are not UTF-8 put into its string values
        Function<RandomGenerator, byte[]> badUtf8 = r -> {
            String row = rows.apply(r);
            byte[] bad = bads.apply(r);
            int at = Gen.ints(0, row.length()).apply(r);
            byte[] b = row.getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[b.length + bad.length];
            System.arraycopy(b, 0, out, 0, at);
            System.arraycopy(bad, 0, out, at, bad.length);
            System.arraycopy(b, at, out, at + bad.length, b.length - at);
            return out;
        };
        return Gen.oneOf(random, badUtf8);
    }
}
