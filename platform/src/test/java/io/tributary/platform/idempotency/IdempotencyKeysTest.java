package io.tributary.platform.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.platform.http.ApiException;
import io.tributary.platform.kafka.JsonSerde;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules of Idempotency-Key apart from HTTP and Kafka: key syntax, scoping, what is recorded, fingerprints, expiry. */
class IdempotencyKeysTest {

    @Test
    void aKeyIsOneTo255PrintableAsciiCharacters() {
        assertThat(IdempotencyKeys.validate("k")).isEqualTo("k");
        String longest = "x".repeat(255);
        assertThat(IdempotencyKeys.validate(longest)).isEqualTo(longest);
        assertThat(IdempotencyKeys.validate("order 42 / retry=\"a|b\" ~!")).as("spaces and punctuation are printable").isNotNull();
        assertThat(IdempotencyKeys.validate("550e8400-e29b-41d4-a716-446655440000")).isNotNull();
    }

    @Test
    void anInvalidKeyIsA400NamingTheHeader() {
        for (String bad : new String[] {"", "x".repeat(256), "tab\there", "caf\u00e9", "del\u007f", "nul\u0000"}) {
            assertThatThrownBy(() -> IdempotencyKeys.validate(bad)).as(bad)
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.getMessage()).contains("Idempotency-Key").contains("1 to 255 printable ASCII characters");
                        assertThat(e.details()).singleElement().satisfies(d -> assertThat(d.field()).isEqualTo("Idempotency-Key"));
                    });
        }
        assertThat(IdempotencyKeys.problem("caf\u00e9").orElseThrow()).endsWith("character 4 is U+00E9");
        assertThat(IdempotencyKeys.problem("x".repeat(256)).orElseThrow()).endsWith("got 256");
    }

    @Test
    void deterministicAnswersAreRecordedAndThoseACauseCanChangeAreNot() {
        for (int status : new int[] {200, 201, 202, 204, 400, 415, 422}) {
            assertThat(IdempotencyKeys.recordable(status)).as("%d", status).isTrue();
        }
        for (int status : new int[] {301, 401, 403, 404, 405, 409, 413, 429, 490, 500, 502, 503, 504}) {
            assertThat(IdempotencyKeys.recordable(status)).as("%d", status).isFalse();
        }
    }

    @Test
    void keysAreScopedByWorkspace() {
        assertThat(IdempotencyKeys.scoped("ws-a", "k")).isNotEqualTo(IdempotencyKeys.scoped("ws-b", "k"));
        // a key may hold the separator: workspace ids cannot, so "ws" + "a|k" is the only way to "ws|a|k"
        assertThat(IdempotencyKeys.scoped("ws", "a|k")).isEqualTo("ws|a|k");
        assertThatThrownBy(() -> IdempotencyKeys.scoped("ws|a", "k")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theFingerprintIsMethodPathQueryAndTheBodysSha256() throws IOException {
        RequestFingerprint first = fingerprint("POST", "/v1/customer-insights", null, "{\"a\":1}");
        assertThat(first.query()).isEmpty();
        assertThat(first.bodyLength()).isEqualTo(7);
        assertThat(fingerprint("POST", "/v1/customer-insights", "", "{\"a\":1}").differenceFrom(first)).isEmpty();
        assertThat(fingerprint("POST", "/v1/customer-insights", null, "{\"a\":2}").differenceFrom(first).orElseThrow())
                .startsWith("body (first 7 bytes, SHA-256 ");
        assertThat(fingerprint("POST", "/v1/customer-insights", null, "{\"a\":1} ").differenceFrom(first).orElseThrow()).startsWith("body");
        assertThat(fingerprint("POST", "/v1/customer-insights", "wait=true", "{\"a\":1}").differenceFrom(first).orElseThrow())
                .isEqualTo("query string");
        assertThat(fingerprint("POST", "/v1/customer-segments", null, "{\"a\":1}").differenceFrom(first).orElseThrow())
                .isEqualTo("route (first POST /v1/customer-insights)");
        // the well-known digest of "abc"
        assertThat(fingerprint("POST", "/", null, "abc").bodySha256()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void drainingStopsOnceTheBodyIsLongerThanTheLimit() throws IOException {
        BodyDigest exact = new BodyDigest();
        assertThat(exact.drain(new ByteArrayInputStream(new byte[20_000]), 20_000)).isTrue();
        assertThat(exact.length()).isEqualTo(20_000);
        BodyDigest longer = new BodyDigest();
        assertThat(longer.drain(new ByteArrayInputStream(new byte[20_001]), 20_000)).isFalse();
        assertThat(longer.length()).as("reads one byte past the limit, not the whole body").isEqualTo(20_001);
        BodyDigest endless = new BodyDigest();
        assertThat(endless.drain(new java.io.InputStream() {
            @Override
            public int read() {
                return 'x';
            }
        }, 10)).isFalse();
    }

    @Test
    void aRecordedAnswerKeepsItsBytesExactlyAndExpires() {
        byte[] body = {'{', '}', (byte) 0xff, 0, (byte) 0xc3};
        RecordedAnswer answer = RecordedAnswer.of(new RequestFingerprint("POST", "/p", "", "00", 2), 201,
                Map.of("Location", "/p/1"), body, 1_000, 2_000);
        assertThat(answer.bodyBytes()).isEqualTo(body);
        assertThat(answer.expiredAt(1_999)).isFalse();
        assertThat(answer.expiredAt(2_000)).isTrue();
        JsonSerde<RecordedAnswer> serde = new JsonSerde<>(RecordedAnswer.class);
        RecordedAnswer read = serde.deserializer().deserialize("t", serde.serializer().serialize("t", answer));
        assertThat(read).isEqualTo(answer);
        assertThat(read.bodyBytes()).isEqualTo(body);
    }

    @Test
    void theFirstClaimOfAKeyHoldsUntilItsLeaseEnds() {
        IdempotencyStore.Claim held = new IdempotencyStore.Claim("first", 1_000, 2_000);
        assertThat(held.then(new IdempotencyStore.Claim("second", 1_001, 3_000))).isSameAs(held);
        assertThat(held.then(new IdempotencyStore.Claim("late", 1_999, 3_999))).isSameAs(held);
        IdempotencyStore.Claim after = new IdempotencyStore.Claim("after", 2_000, 4_000);
        assertThat(held.then(after)).as("made once the held claim had expired").isSameAs(after);
    }

    @Test
    void aTopicEntryIsAnAnswerOrAClaim() {
        IdempotencyStore.Claim claim = new IdempotencyStore.Claim("o", 0, 10);
        assertThatThrownBy(() -> new IdempotencyStore.Entry(null, null)).isInstanceOf(IllegalArgumentException.class);
        IdempotencyStore.Entry entry = new IdempotencyStore.Entry(null, claim);
        assertThat(entry.expiredAt(9)).isFalse();
        assertThat(entry.expiredAt(10)).isTrue();
        JsonSerde<IdempotencyStore.Entry> serde = new JsonSerde<>(IdempotencyStore.Entry.class);
        byte[] json = serde.serializer().serialize("t", entry);
        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"claim\":{\"owner\":\"o\",\"claimedAt\":0,\"expiresAt\":10}}");
        assertThat(serde.deserializer().deserialize("t", json)).isEqualTo(entry);
    }

    private static RequestFingerprint fingerprint(String method, String path, String query, String body) throws IOException {
        BodyDigest digest = new BodyDigest();
        digest.drain(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), Long.MAX_VALUE - 1);
        return digest.fingerprint(method, path, query);
    }
}
