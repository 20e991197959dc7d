package io.tributary.gateway.events;

import io.tributary.platform.http.ApiException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * A request body of the Events API, read once into one array (the only copy the gateway makes):
 * {@code bytes[0, length)} are the (decompressed) body. Limits are enforced before reading (the
 * declared Content-Length) and while reading and decompressing (chunked or lying bodies, zip bombs).
 */
public record EventsBody(byte[] bytes, int length) {
    private static final int INITIAL_BUFFER = 64 * 1024;

    public EventsBody {
        if (length < 0 || length > bytes.length) {
            throw new IllegalArgumentException("length " + length + " outside the array of " + bytes.length);
        }
    }

    public static EventsBody of(byte[] bytes) {
        return new EventsBody(bytes, bytes.length);
    }

    /**
     * Reads a body.
     *
     * @param contentLength   the declared length, or -1 when unknown (chunked)
     * @param contentEncoding the Content-Encoding header: absent, {@code identity} or {@code gzip}
     * @throws ApiException 413 over a limit, 415 for another encoding, 400 when empty, unreadable or not gzip
     */
    public static EventsBody read(InputStream in, long contentLength, String contentEncoding, EventsLimits limits) {
        if (contentLength > limits.maxBodyBytes()) {
            throw ApiException.payloadTooLarge(limits.maxBodyBytes());
        }
        EventsBody body = isGzip(contentEncoding)
                ? readGzip(in, contentLength, limits)
                : readPlain(in, contentLength, limits.maxBodyBytes());
        if (body.length() == 0) {
            throw ApiException.badRequest("empty body: send NDJSON (one JSON object per line) or one JSON object");
        }
        return body;
    }

    private static boolean isGzip(String contentEncoding) {
        if (contentEncoding == null || contentEncoding.isBlank()) {
            return false;
        }
        String encoding = contentEncoding.trim().toLowerCase(Locale.ROOT);
        return switch (encoding) {
            case "identity" -> false;
            case "gzip", "x-gzip" -> true;
            default -> throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE",
                    "unsupported Content-Encoding '" + contentEncoding + "': send gzip or no encoding", List.of());
        };
    }

    private static EventsBody readPlain(InputStream in, long contentLength, long maxBytes) {
        try {
            if (contentLength >= 0) {
                byte[] bytes = new byte[(int) contentLength];
                int read = in.readNBytes(bytes, 0, bytes.length);
                if (read < bytes.length) {
                    throw ApiException.badRequest("body ended after " + read + " of " + contentLength + " bytes");
                }
                return new EventsBody(bytes, read);
            }
            return readAll(in, maxBytes, INITIAL_BUFFER, ApiException.payloadTooLarge(maxBytes));
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read the request body: " + e.getMessage());
        }
    }

    private static EventsBody readGzip(InputStream in, long contentLength, EventsLimits limits) {
        long maxDecoded = limits.maxDecodedBytes();
        int initial = (int) Math.min(maxDecoded + 1, contentLength > 0 ? Math.max(INITIAL_BUFFER, contentLength * 8) : INITIAL_BUFFER);
        try (InputStream gunzip = new GZIPInputStream(new LimitedInputStream(in, limits.maxBodyBytes()), 64 * 1024)) {
            return readAll(gunzip, maxDecoded, initial, new ApiException(413, "PAYLOAD_TOO_LARGE",
                    "decompressed request body exceeds the limit of " + maxDecoded + " bytes", List.of()));
        } catch (IOException e) {
            throw ApiException.badRequest("body is not valid gzip: " + e.getMessage());
        }
    }

    /** Reads to the end, failing with {@code tooLarge} as soon as more than {@code maxBytes} arrived. */
    private static EventsBody readAll(InputStream in, long maxBytes, int initialSize, ApiException tooLarge) throws IOException {
        byte[] buffer = new byte[Math.max(1, initialSize)];
        int length = 0;
        while (true) {
            if (length == buffer.length) {
                if (length > maxBytes) {
                    throw tooLarge;
                }
                // One byte past the limit is enough to know the body is too large.
                buffer = Arrays.copyOf(buffer, (int) Math.min((long) buffer.length * 2, maxBytes + 1));
            }
            int n = in.read(buffer, length, buffer.length - length);
            if (n < 0) {
                break;
            }
            length += n;
            if (length > maxBytes) {
                throw tooLarge;
            }
        }
        return new EventsBody(buffer, length);
    }

    /** Counts bytes as they are read and fails with 413 past the limit (for chunked compressed bodies). */
    private static final class LimitedInputStream extends FilterInputStream {
        private final long maxBytes;
        private long count;

        LimitedInputStream(InputStream in, long maxBytes) {
            super(in);
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            counted(skipped);
            return skipped;
        }

        private void counted(long n) {
            count += n;
            if (count > maxBytes) {
                throw ApiException.payloadTooLarge(maxBytes);
            }
        }
    }
}
