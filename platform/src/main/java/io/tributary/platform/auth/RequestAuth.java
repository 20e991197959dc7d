package io.tributary.platform.auth;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.tributary.platform.http.ApiException;
import io.tributary.platform.http.TokenBucketLimiter;
import io.tributary.platform.idempotency.IdempotentRequests;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Authenticates requests: {@code Authorization: Bearer <token>}; HTTP basic auth with the token as
 * password (so Confluent clients' basic.auth.user.info works); and, where a route allows it as
 * Tinybird does for pipes, a {@code ?token=} query parameter. 401 when missing or invalid, 403
 * when valid but lacking the scope.
 */
public final class RequestAuth {
    private static final Set<HandlerType> WRITES = EnumSet.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);

    private final Authenticator authenticator;
    private final Optional<TokenBucketLimiter> writeLimiter;
    private final Optional<IdempotentRequests> idempotency;

    public RequestAuth(Authenticator authenticator) {
        this(authenticator, Optional.empty(), Optional.empty());
    }

    private RequestAuth(Authenticator authenticator, Optional<TokenBucketLimiter> writeLimiter, Optional<IdempotentRequests> idempotency) {
        this.authenticator = Objects.requireNonNull(authenticator);
        this.writeLimiter = writeLimiter;
        this.idempotency = idempotency;
    }

    /**
     * The same, also limiting each token's writes: a POST, PUT, PATCH or DELETE that passes
     * {@link #require} takes one from the token's bucket, or is refused with 429 and Retry-After.
     * Routes keyed by their own header ({@link #requireKey}, the upload) keep their own limit.
     */
    public RequestAuth withWriteLimit(TokenBucketLimiter limiter) {
        return new RequestAuth(authenticator, Optional.of(limiter), idempotency);
    }

    /**
     * The same, also honouring the Idempotency-Key header of POSTs: once the caller passed
     * {@link #require} or {@link #requireKey}, a retry of a recorded request is answered from the
     * record, scoped by the authenticating token's (or key's) workspace (see IdempotentRequests). It
     * comes before the write limit, so a retry of an answered request is not refused with 429.
     */
    public RequestAuth withIdempotency(IdempotentRequests requests) {
        return new RequestAuth(authenticator, writeLimiter, Optional.of(requests));
    }

    /** The caller, who must hold {@code required}; the token comes from headers only. */
    public Principal require(Context ctx, Scope required) {
        return require(ctx, required, false);
    }

    /** As {@link #require(Context, Scope)}, also accepting {@code ?token=} when {@code allowQueryToken}. */
    public Principal require(Context ctx, Scope required, boolean allowQueryToken) {
        Principal principal = authenticate(ctx, allowQueryToken);
        if (!principal.can(required)) {
            throw ApiException.forbidden("token lacks scope " + required);
        }
        idempotency.ifPresent(requests -> requests.begin(ctx, principal.workspaceId()));
        if (writeLimiter.isPresent() && WRITES.contains(ctx.method())) {
            writeLimiter.get().takeOrThrow(principal.tokenId(), "this token made too many writes");
        }
        return principal;
    }

    /**
     * The caller of a route keyed by a header of its own, as seed 004's upload is by
     * {@code customerscore-key}: 401 when the header is missing, 403 when the key is invalid or
     * lacks {@code required}.
     */
    public Principal requireKey(Context ctx, String header, Scope required) {
        String key = nonEmpty(ctx.header(header)).orElseThrow(() -> ApiException.unauthorized("missing " + header + " header"));
        Principal principal = authenticator.authenticate(key.trim()).orElseThrow(() -> ApiException.forbidden("invalid key"));
        if (!principal.can(required)) {
            throw ApiException.forbidden("key lacks scope " + required);
        }
        idempotency.ifPresent(requests -> requests.begin(ctx, principal.workspaceId()));
        return principal;
    }

    /** As {@link #requireKey} when the request has {@code header}, else as {@link #require(Context, Scope)}. */
    public Principal requireKeyOrToken(Context ctx, String header, Scope required) {
        return ctx.header(header) != null ? requireKey(ctx, header, required) : require(ctx, required);
    }

    /** The caller, whatever its scopes. */
    public Principal authenticate(Context ctx, boolean allowQueryToken) {
        String token = presentedToken(ctx, allowQueryToken)
                .orElseThrow(() -> ApiException.unauthorized("missing token: send Authorization: Bearer <token>"));
        return authenticator.authenticate(token)
                .orElseThrow(() -> ApiException.unauthorized("invalid token"));
    }

    static Optional<String> presentedToken(Context ctx, boolean allowQueryToken) {
        String header = ctx.header("Authorization");
        if (header != null) {
            String h = header.trim();
            if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return nonEmpty(h.substring(7).trim());
            }
            if (h.regionMatches(true, 0, "Basic ", 0, 6)) {
                try {
                    String decoded = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
                    int colon = decoded.indexOf(':');
                    return nonEmpty(colon >= 0 ? decoded.substring(colon + 1) : decoded);
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
            return Optional.empty();
        }
        return allowQueryToken ? nonEmpty(ctx.queryParam("token")) : Optional.empty();
    }

    private static Optional<String> nonEmpty(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
    }
}
