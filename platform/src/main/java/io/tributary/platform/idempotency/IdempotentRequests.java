package io.tributary.platform.idempotency;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.servlet.JavalinServletContext;
import io.tributary.platform.http.ApiException;
import io.tributary.platform.http.ErrorDetail;
import io.tributary.platform.http.HttpRoutes;
import io.tributary.platform.http.HttpServer;
import io.tributary.platform.kafka.KafkaCalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@value IdempotencyKeys#HEADER} header of the gateway's POST routes, in two steps around the
 * route. {@link #begin} runs once the caller is authenticated and authorised (RequestAuth calls it,
 * so every route that authenticates through it is covered and its handler stays as it was): a key
 * with a recorded answer gets that answer again (the route never runs), or 422 if the request
 * differs; a key another request is processing, on this gateway or another, gets 409; otherwise the
 * route runs with its body digested as it reads it. The after-handler mounted here records the final
 * answer (after Javalin rendered any exception into it) when {@link IdempotencyKeys#recordable}, and
 * releases the key.
 */
public final class IdempotentRequests implements HttpRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(IdempotentRequests.class);
    private static final String PENDING = "tributary.idempotency.pending";
    static final int IN_FLIGHT_RETRY_AFTER_SECONDS = 1;
    /** What a route may leave unread of a body whose answer is still recorded (a parser that stopped at an error near the end). */
    private static final long MAX_UNREAD_BYTES = 1 << 20;

    /** A request processing a key it has claimed. */
    private record Pending(String workspaceId, String key, DigestingRequest request) {
    }

    /** Ends the route with a recorded answer; rendered by the exception handler mounted here. */
    private static final class Replay extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient RecordedAnswer answer;

        Replay(RecordedAnswer answer) {
            super("replay", null, false, false);
            this.answer = answer;
        }
    }

    private final IdempotencyStore store;

    public IdempotentRequests(IdempotencyStore store) {
        this.store = Objects.requireNonNull(store);
    }

    @Override
    public void mount(Javalin app) {
        app.exception(Replay.class, (e, ctx) -> replay(ctx, e.answer));
        app.after(this::complete);
    }

    /**
     * For a POST with the header, by a caller of {@code workspaceId}: throws what answers it instead of
     * the route (400 bad key, 409 in flight, 422 reused key, the recorded answer; 503 when Kafka does
     * not answer), or returns and lets the route run under the key's claim. Any other request passes untouched.
     */
    public void begin(Context ctx, String workspaceId) {
        String raw = ctx.header(IdempotencyKeys.HEADER);
        if (raw == null || ctx.method() != HandlerType.POST || ctx.attribute(PENDING) != null) {
            return;
        }
        String key = IdempotencyKeys.validate(raw);
        if (!(ctx instanceof JavalinServletContext servletContext)) {
            throw new IllegalStateException("the body cannot be digested outside a Javalin servlet context: " + ctx.getClass().getName());
        }
        try {
            Optional<RecordedAnswer> known = store.answer(workspaceId, key);
            if (known.isPresent()) {
                throw answerFor(ctx, known.get()); // the usual retry: no Kafka call at all
            }
            boolean won = KafkaCalls.orUnavailable("the idempotency store", () -> store.claim(workspaceId, key, UUID.randomUUID().toString()));
            // the claim was read back, so an answer recorded before it (by any gateway) is known now
            Optional<RecordedAnswer> recorded = store.answer(workspaceId, key);
            if (recorded.isPresent()) {
                if (won) {
                    release(ctx, workspaceId, key);
                }
                throw answerFor(ctx, recorded.get());
            }
            if (!won) {
                throw new ApiException(409, "IDEMPOTENCY_KEY_IN_USE", "a request with this " + IdempotencyKeys.HEADER
                        + " is still being processed; retry once it has been answered", List.of(ErrorDetail.field(IdempotencyKeys.HEADER,
                        "in use by a request still being processed")), Optional.of(IN_FLIGHT_RETRY_AFTER_SECONDS));
            }
            DigestingRequest request = new DigestingRequest(ctx.req());
            servletContext.changeBaseRequest(request);
            ctx.attribute(PENDING, new Pending(workspaceId, key, request));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The recorded answer if this request is the first one again, else 422. Reads the body only as far as it can still match. */
    private static RuntimeException answerFor(Context ctx, RecordedAnswer recorded) throws IOException {
        BodyDigest body = new BodyDigest();
        boolean whole = body.drain(ctx.req().getInputStream(), recorded.request().bodyLength());
        RequestFingerprint retry = DigestingRequest.fingerprint(ctx.req(), body);
        Optional<String> difference = whole ? retry.differenceFrom(recorded.request())
                : Optional.of("body (longer than the first's " + recorded.request().bodyLength() + " bytes)");
        if (difference.isEmpty()) {
            return new Replay(recorded);
        }
        String problem = "was first used for another request; this one differs in its " + difference.get();
        return new ApiException(422, "IDEMPOTENCY_KEY_REUSED", "this " + IdempotencyKeys.HEADER + " " + problem
                + ": send a new request with a new key", List.of(ErrorDetail.field(IdempotencyKeys.HEADER, problem)));
    }

    private static void replay(Context ctx, RecordedAnswer answer) {
        ctx.status(answer.status());
        answer.headers().forEach((name, value) -> {
            if (name.equalsIgnoreCase("Content-Type")) {
                ctx.contentType(value);
            } else {
                ctx.header(name, value);
            }
        });
        ctx.header(IdempotencyKeys.REPLAYED_HEADER, "true");
        ctx.result(answer.bodyBytes());
    }

    /** After the route: records its answer if it is to be replayed, and releases the key. */
    private void complete(Context ctx) {
        Pending pending = ctx.attribute(PENDING);
        if (pending == null) {
            return;
        }
        try {
            record(ctx, pending);
        } finally {
            release(ctx, pending.workspaceId(), pending.key());
        }
    }

    /** A claim that cannot be released ends with its lease; until then the key's retries get 409 (or the answer, if recorded). */
    private void release(Context ctx, String workspaceId, String key) {
        try {
            store.release(workspaceId, key);
        } catch (KafkaException e) {
            LOG.warn("could not release the {} of request {} (it expires within {}): {}", IdempotencyKeys.HEADER, HttpServer.requestId(ctx),
                    IdempotencyStore.CLAIM_LEASE, e.toString());
        }
    }

    private void record(Context ctx, Pending pending) {
        int status = ctx.statusCode();
        if (!IdempotencyKeys.recordable(status)) {
            return;
        }
        try {
            Optional<RequestFingerprint> request = pending.request().finish(MAX_UNREAD_BYTES);
            if (request.isEmpty()) {
                LOG.info("not recording the {} answer of request {} under its {}: the route left more than {} bytes of its body unread",
                        status, HttpServer.requestId(ctx), IdempotencyKeys.HEADER, MAX_UNREAD_BYTES);
                return;
            }
            byte[] body = resultBytes(ctx);
            if (body.length > IdempotencyKeys.MAX_RECORDED_BODY_BYTES) {
                LOG.info("not recording the {} answer of request {} under its {}: its {} bytes are more than {}", status,
                        HttpServer.requestId(ctx), IdempotencyKeys.HEADER, body.length, IdempotencyKeys.MAX_RECORDED_BODY_BYTES);
                return;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String name : IdempotencyKeys.RECORDED_HEADERS) {
                String value = name.equals("Content-Type") ? ctx.res().getContentType() : ctx.res().getHeader(name);
                if (value != null) {
                    headers.put(name, value);
                }
            }
            store.save(pending.workspaceId(), pending.key(), store.answer(request.get(), status, headers, body));
        } catch (IOException | KafkaException e) {
            // the answer still goes out; only a retry of it would be processed again, as without a key
            LOG.warn("could not record the {} answer of request {} under its {}: {}", status, HttpServer.requestId(ctx),
                    IdempotencyKeys.HEADER, e.toString());
        }
    }

    /** The answer's body as it will be sent; reading Javalin's result stream consumes it, so it is put back. */
    private static byte[] resultBytes(Context ctx) throws IOException {
        InputStream result = ctx.resultInputStream();
        if (result == null) {
            return new byte[0];
        }
        byte[] bytes = result.readAllBytes();
        ctx.result(bytes);
        return bytes;
    }
}
