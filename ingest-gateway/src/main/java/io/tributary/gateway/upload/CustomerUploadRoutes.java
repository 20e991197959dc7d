package io.tributary.gateway.upload;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.tributary.platform.auth.Principal;
import io.tributary.platform.auth.RequestAuth;
import io.tributary.platform.auth.Scope;
import io.tributary.platform.health.HealthSettings;
import io.tributary.platform.health.HealthSettingsStore;
import io.tributary.platform.http.ApiException;
import io.tributary.platform.http.TokenBucketLimiter;
import io.tributary.platform.http.HttpRoutes;
import io.tributary.platform.kafka.KafkaCalls;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Seed 004's {@code POST /api/v1/customers}, with its response codes in this order: 405 for any
 * other method, 406 when the Accept header excludes JSON, 401 without the
 * {@code customerscore-key} header, 403 for an invalid key (or one without
 * {@code customers:upload}), 429 when the key's token bucket is empty (Retry-After), 490 when the
 * workspace has no scoring configuration, 413 above the body limit, 400 for a bad body (every
 * problem, by customer index and field), 200 once every record is acknowledged by Kafka.
 */
public final class CustomerUploadRoutes implements HttpRoutes {
    public static final String PATH = "/api/v1/customers";
    public static final String KEY_HEADER = "customerscore-key";
    static final int UNCONFIGURED_SCORING = 490;

    private final CustomerUploads uploads;
    private final HealthSettingsStore settings;
    private final RequestAuth auth;
    private final TokenBucketLimiter limiter;
    private final long maxBytes;

    public CustomerUploadRoutes(CustomerUploads uploads, HealthSettingsStore settings, RequestAuth auth, int ratePerMinute, int burst,
                                long maxBytes) {
        this.uploads = Objects.requireNonNull(uploads);
        this.settings = Objects.requireNonNull(settings);
        this.auth = Objects.requireNonNull(auth);
        this.limiter = TokenBucketLimiter.perMinute(ratePerMinute, burst, System::nanoTime);
        this.maxBytes = maxBytes;
    }

    @Override
    public void mount(Javalin app) {
        app.post(PATH, this::upload);
        for (HandlerType method : List.of(HandlerType.GET, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE, HandlerType.HEAD,
                HandlerType.OPTIONS)) {
            app.addHttpHandler(method, PATH, ctx -> {
                ctx.header("Allow", "POST");
                throw new ApiException(405, "METHOD_NOT_ALLOWED", "only POST is allowed on " + PATH, List.of());
            });
        }
    }

    private void upload(Context ctx) {
        if (!acceptsJson(ctx.header("Accept"))) {
            throw new ApiException(406, "NOT_ACCEPTABLE", "this route answers application/json only; the Accept header excludes it", List.of());
        }
        Principal caller = auth.requireKey(ctx, KEY_HEADER, Scope.CUSTOMERS_UPLOAD);
        limiter.takeOrThrow(caller.tokenId(), "this key made too many uploads");
        HealthSettings workspace = KafkaCalls.orUnavailable("the health settings store", () -> settings.latest(caller.workspaceId()));
        if (workspace.scoringConfig().isEmpty()) {
            throw new ApiException(UNCONFIGURED_SCORING, "UNCONFIGURED_SCORING", "workspace '" + caller.workspaceId()
                    + "' has no scoring configuration: define its metrics and attributes, then PUT /api/v1/scoring", List.of());
        }
        long declared = ctx.contentLength();
        if (declared > maxBytes) {
            throw ApiException.payloadTooLarge(maxBytes);
        }
        CustomerUploads.Result result;
        try (InputStream body = new Bounded(ctx.bodyInputStream(), maxBytes)) {
            result = uploads.upload(caller.workspaceId(), workspace, body);
        } catch (IOException e) {
            throw ApiException.badRequest("the body could not be read: " + e.getMessage());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "received and forwarded for processing");
        out.put("upload_id", result.uploadId());
        out.put("received", result.received());
        out.put("created", result.created());
        out.put("updated", result.received() - result.created());
        Map<String, Object> ignored = new LinkedHashMap<>();
        ignored.put("attributes", result.ignoredAttributes());
        ignored.put("metrics", result.ignoredMetrics());
        out.put("ignored_keys", ignored);
        out.put("unlinked_owner_emails", result.unlinkedOwnerEmails());
        ctx.json(out);
    }

    /** Whether an Accept header admits application/json: no header, or a range of any type, any application type or application/json with q above 0. */
    static boolean acceptsJson(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        for (String range : accept.split(",")) {
            String[] parts = range.trim().split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                if (p.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            if (q > 0 && (type.equals("*/*") || type.equals("application/*") || type.equals("application/json"))) {
                return true;
            }
        }
        return false;
    }

    /** The body, refused with 413 past {@code limit} bytes whatever Content-Length said. */
    private static final class Bounded extends FilterInputStream {
        private final long limit;
        private long read;

        Bounded(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            int n = super.read(buffer, off, len);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > limit) {
                throw ApiException.payloadTooLarge(limit);
            }
        }
    }
}
