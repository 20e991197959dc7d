package io.tributary.query;

import io.javalin.http.Context;
import io.tributary.platform.http.ApiException;
import io.tributary.platform.http.HttpServer;
import io.tributary.platform.store.StoreQueryException;
import io.tributary.platform.store.StoreUnavailableException;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a read against the analytics store for a request: an unreachable store becomes 503
 * {@code SERVICE_UNAVAILABLE} with Retry-After, a failed query 500 {@code ANALYTICS_ERROR} quoting
 * the request id. Neither leaks SQL or store internals; the log has them.
 */
public final class StoreCalls {
    private static final Logger LOG = LoggerFactory.getLogger(StoreCalls.class);
    public static final int RETRY_AFTER_SECONDS = 5;

    private StoreCalls() {
    }

    /** {@code what} names the read in the log (e.g. "pipe customer_activity"). */
    public static <R> R read(Context ctx, String what, Supplier<R> call) {
        try {
            return call.get();
        } catch (StoreUnavailableException e) {
            LOG.warn("{}: analytics store unavailable (request id {}): {}", what, HttpServer.requestId(ctx), e.getMessage());
            throw ApiException.serviceUnavailable("the analytics store is unavailable; retry later", RETRY_AFTER_SECONDS);
        } catch (StoreQueryException e) {
            String requestId = HttpServer.requestId(ctx);
            LOG.error("{} failed in the analytics store (request id {})", what, requestId, e);
            throw new ApiException(500, "ANALYTICS_ERROR",
                    "the analytics query failed; quote request id " + requestId + " when reporting it", List.of());
        }
    }
}
