package io.tributary.platform.idempotency;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a request asked for, to tell a retry (the same) from a new request under a reused key: method,
 * path, raw query string and the body as sent (SHA-256 and length; gzip bodies are compared
 * compressed). Headers other than the key are not part of it.
 */
public record RequestFingerprint(String method, String path, String query, String bodySha256, long bodyLength) {
    public RequestFingerprint {
        Objects.requireNonNull(method);
        Objects.requireNonNull(path);
        query = Objects.requireNonNullElse(query, "");
        Objects.requireNonNull(bodySha256);
    }

    static RequestFingerprint of(String method, String path, String query, byte[] sha256, long bodyLength) {
        return new RequestFingerprint(method, path, query, HexFormat.of().formatHex(sha256), bodyLength);
    }

    /** Empty when {@code this} is the same request as {@code first}; else what differs, for the 422's message. */
    public Optional<String> differenceFrom(RequestFingerprint first) {
        List<String> parts = new ArrayList<>();
        if (!method.equals(first.method) || !path.equals(first.path)) {
            parts.add("route (first " + first.method + " " + first.path + ")");
        }
        if (!query.equals(first.query)) {
            parts.add("query string");
        }
        if (bodyLength != first.bodyLength || !bodySha256.equals(first.bodySha256)) {
            parts.add("body (first " + first.bodyLength + " bytes, SHA-256 " + first.bodySha256.substring(0, 12) + "…)");
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", parts));
    }
}
