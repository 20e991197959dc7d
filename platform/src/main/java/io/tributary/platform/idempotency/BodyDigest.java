package io.tributary.platform.idempotency;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 and length of a request body, fed as the body is read; not thread-safe (one request's thread). */
final class BodyDigest {
    private final MessageDigest sha256;
    private long length;

    BodyDigest() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    void update(byte[] bytes, int offset, int count) {
        if (count > 0) {
            sha256.update(bytes, offset, count);
            length += count;
        }
    }

    /**
     * Reads {@code in} to its end, digesting it, unless that would take the length past {@code maxLength}:
     * then stops there and returns false (the body is longer than anything it is compared with).
     */
    boolean drain(InputStream in, long maxLength) throws IOException {
        byte[] buffer = new byte[8192];
        while (true) {
            int want = (int) Math.min(buffer.length, maxLength - length + 1);
            if (want <= 0) {
                return false;
            }
            int n = in.read(buffer, 0, want);
            if (n < 0) {
                return true;
            }
            update(buffer, 0, n);
            if (length > maxLength) {
                return false;
            }
        }
    }

    long length() {
        return length;
    }

    RequestFingerprint fingerprint(String method, String path, String query) {
        try {
            return RequestFingerprint.of(method, path, query, ((MessageDigest) sha256.clone()).digest(), length);
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
    }
}
