package io.tributary.platform.idempotency;

import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The answer given to the first request with a key, as replayed to its retries: status, the
 * {@link IdempotencyKeys#RECORDED_HEADERS} it had, and the body byte for byte (base64, so the record
 * stays an immutable JSON value). Times are epoch milliseconds; past {@code expiresAt} it is gone.
 */
public record RecordedAnswer(RequestFingerprint request, int status, Map<String, String> headers, String bodyBase64,
                             long createdAt, long expiresAt) {
    public RecordedAnswer {
        Objects.requireNonNull(request);
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        Objects.requireNonNull(bodyBase64);
    }

    static RecordedAnswer of(RequestFingerprint request, int status, Map<String, String> headers, byte[] body, long createdAt,
                             long expiresAt) {
        return new RecordedAnswer(request, status, headers, Base64.getEncoder().encodeToString(body), createdAt, expiresAt);
    }

    byte[] bodyBytes() {
        return Base64.getDecoder().decode(bodyBase64);
    }

    boolean expiredAt(long nowMillis) {
        return nowMillis >= expiresAt;
    }
}
