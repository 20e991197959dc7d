package io.tributary.platform.idempotency;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The request as the route sees it, digesting its body while the route reads it: streaming routes
 * (the Events API, the upload) never hold the whole body, and neither does this.
 */
final class DigestingRequest extends HttpServletRequestWrapper {
    private final BodyDigest digest = new BodyDigest();
    private final ServletInputStream body;

    DigestingRequest(HttpServletRequest request) throws IOException {
        super(request);
        ServletInputStream in = request.getInputStream();
        this.body = new ServletInputStream() {
            @Override
            public int read() throws IOException {
                int b = in.read();
                if (b >= 0) {
                    digest.update(new byte[] {(byte) b}, 0, 1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = in.read(buffer, offset, length);
                digest.update(buffer, offset, n);
                return n;
            }

            @Override
            public boolean isFinished() {
                return in.isFinished();
            }

            @Override
            public boolean isReady() {
                return in.isReady();
            }

            @Override
            public void setReadListener(ReadListener listener) {
                in.setReadListener(listener);
            }
        };
    }

    @Override
    public ServletInputStream getInputStream() {
        return body;
    }

    @Override
    public BufferedReader getReader() {
        String encoding = getCharacterEncoding();
        Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
        return new BufferedReader(new InputStreamReader(body, charset));
    }

    /**
     * The request's fingerprint once the rest of its body (what the route left unread, at most
     * {@code maxUnread} bytes more) is digested; empty when more was left, e.g. a body refused early as too large.
     */
    Optional<RequestFingerprint> finish(long maxUnread) throws IOException {
        // straight from the wrapped stream: drain digests what it reads itself
        boolean whole = digest.drain(getRequest().getInputStream(), digest.length() + maxUnread);
        return whole ? Optional.of(fingerprint(this, digest)) : Optional.empty();
    }

    /** What identifies {@code request} with a body digested into {@code body}. */
    static RequestFingerprint fingerprint(HttpServletRequest request, BodyDigest body) {
        return body.fingerprint(request.getMethod(), request.getRequestURI(), request.getQueryString());
    }
}
