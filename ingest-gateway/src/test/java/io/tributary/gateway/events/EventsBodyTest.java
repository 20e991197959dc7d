package io.tributary.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.platform.http.ApiException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class EventsBodyTest {
    private static final EventsLimits LIMITS = EventsLimits.defaults().withMaxBodyBytes(1024).withMaxDecodedBytes(4096);

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }

    private static String text(EventsBody body) {
        return new String(body.bytes(), 0, body.length(), StandardCharsets.UTF_8);
    }

    private static void assertStatus(Runnable read, int status, String messagePart) {
        assertThatThrownBy(read::run).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }

    /** A stream that must not be read: the declared length alone decides. */
    private static final InputStream UNREADABLE = new InputStream() {
        @Override
        public int read() {
            throw new AssertionError("the body was read although its declared length is over the limit");
        }
    };

    @Test
    void readsABodyOfDeclaredLength() {
        byte[] bytes = "{\"a\":1}\n".getBytes(StandardCharsets.UTF_8);
        EventsBody body = EventsBody.read(new ByteArrayInputStream(bytes), bytes.length, null, LIMITS);
        assertThat(text(body)).isEqualTo("{\"a\":1}\n");
        assertThat(body.bytes()).hasSize(bytes.length); // read once into an array of exactly that size
    }

    @Test
    void readsAChunkedBodyOfUnknownLength() {
        byte[] bytes = "{\"a\":1}\n".repeat(100).getBytes(StandardCharsets.UTF_8);
        EventsBody body = EventsBody.read(new ByteArrayInputStream(bytes), -1, "identity", LIMITS);
        assertThat(body.length()).isEqualTo(bytes.length);
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeReading() {
        assertStatus(() -> EventsBody.read(UNREADABLE, 1025, null, LIMITS), 413, "1024 bytes");
    }

    @Test
    void aBodyOfExactlyTheLimitIsAccepted() {
        byte[] bytes = new byte[1024];
        Arrays.fill(bytes, (byte) ' ');
        assertThat(EventsBody.read(new ByteArrayInputStream(bytes), -1, null, LIMITS).length()).isEqualTo(1024);
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedWhileReading() {
        assertStatus(() -> EventsBody.read(new ByteArrayInputStream(new byte[1025]), -1, null, LIMITS), 413, "1024 bytes");
    }

    @Test
    void anEmptyBodyIsABadRequest() {
        assertStatus(() -> EventsBody.read(new ByteArrayInputStream(new byte[0]), 0, null, LIMITS), 400, "empty body");
        assertStatus(() -> EventsBody.read(new ByteArrayInputStream(new byte[0]), -1, null, LIMITS), 400, "empty body");
    }

    @Test
    void aBodyShorterThanDeclaredIsABadRequest() {
        assertStatus(() -> EventsBody.read(new ByteArrayInputStream(new byte[10]), 20, null, LIMITS), 400, "10 of 20");
    }

    @Test
    void gzipBodiesAreDecompressed() throws IOException {
        byte[] plain = "{\"a\":1}\n{\"a\":2}\n".getBytes(StandardCharsets.UTF_8);
        byte[] zipped = gzip(plain);
        assertThat(text(EventsBody.read(new ByteArrayInputStream(zipped), zipped.length, "gzip", LIMITS)))
                .isEqualTo("{\"a\":1}\n{\"a\":2}\n");
        assertThat(text(EventsBody.read(new ByteArrayInputStream(zipped), -1, " X-GZIP ", LIMITS)))
                .isEqualTo("{\"a\":1}\n{\"a\":2}\n");
    }

    @Test
    void aZipBombIsRefusedOnceTheDecompressedLimitIsPassed() throws IOException {
        byte[] bomb = gzip(new byte[1_000_000]); // ~1 KB compressed, 1 MB of zeros
        assertThat(bomb.length).isLessThan(1024);
        assertStatus(() -> EventsBody.read(new ByteArrayInputStream(bomb), bomb.length, "gzip", LIMITS), 413,
                "decompressed request body exceeds the limit of 4096 bytes");
    }

    @Test
    void aChunkedCompressedBodyOverTheLimitIsRefusedWhileReading() throws IOException {
        byte[] random = new byte[4000];
        new java.util.Random(7).nextBytes(random); // incompressible: the compressed body passes 1024 bytes
        byte[] zipped = gzip(random);
        assertStatus(() -> EventsBody.read(new ByteArrayInputStream(zipped), -1, "gzip", LIMITS), 413, "1024 bytes");
    }

    @Test
    void aBodyThatIsNotGzipIsABadRequest() {
        byte[] plain = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        assertStatus(() -> EventsBody.read(new ByteArrayInputStream(plain), plain.length, "gzip", LIMITS), 400, "not valid gzip");
    }

    @Test
    void aGzipOfNothingIsAnEmptyBody() throws IOException {
        byte[] zipped = gzip(new byte[0]);
        assertStatus(() -> EventsBody.read(new ByteArrayInputStream(zipped), zipped.length, "gzip", LIMITS), 400, "empty body");
    }

    @Test
    void otherEncodingsAreUnsupported() {
        assertStatus(() -> EventsBody.read(new ByteArrayInputStream(new byte[3]), 3, "br", LIMITS), 415, "Content-Encoding 'br'");
    }
}
