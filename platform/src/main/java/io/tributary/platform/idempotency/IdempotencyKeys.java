package io.tributary.platform.idempotency;

import io.tributary.platform.http.ApiException;
import io.tributary.platform.http.ErrorDetail;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The rules of the {@value #HEADER} header (issue 8: a client's retry of a POST must not write
 * twice), apart from HTTP and Kafka so they can be tested alone: what a key may be, how it is scoped,
 * which answers are recorded and how large they may be.
 */
public final class IdempotencyKeys {
    public static final String HEADER = "Idempotency-Key";
    /** Set on an answer that is a recorded one, sent again. */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    public static final int MAX_KEY_LENGTH = 255;
    /**
     * Larger answers are not recorded (their retry is processed again). Kept under Kafka's default
     * 1 MiB message limit once base64 (4/3) and the record's other fields are added.
     */
    public static final int MAX_RECORDED_BODY_BYTES = 512 * 1024;
    /** The response headers a replay repeats; the others (X-Request-Id, Date, …) belong to each answer. */
    public static final List<String> RECORDED_HEADERS = List.of("Content-Type", "Location", "Cache-Control", "Warning");
    static final String KEY_RULE = "must be 1 to " + MAX_KEY_LENGTH + " printable ASCII characters";

    /**
     * The 4xx answers a retry of the same request would get again, whatever happens in between: a bad
     * body (400, which for the Events API also means its rows went to quarantine), an unsupported
     * encoding (415), an unprocessable request (422). The others depend on what can change before the
     * retry, so the retry is processed again: credentials and scopes (401, 403), what exists (404),
     * conflicts and in-flight keys (409), limits (413, 429), the workspace's scoring configuration
     * (490); and every 5xx (Kafka or the store not answering is the very case a retry is for).
     */
    private static final Set<Integer> RECORDED_CLIENT_ERRORS = Set.of(400, 415, 422);

    private IdempotencyKeys() {
    }

    /** The key as sent, or 400 naming the header. Printable ASCII is 0x20–0x7E (HTTP already trims the ends). */
    public static String validate(String raw) {
        Optional<String> problem = problem(raw);
        if (problem.isPresent()) {
            throw ApiException.badRequest("header " + HEADER + " " + problem.get(), ErrorDetail.field(HEADER, problem.get()));
        }
        return raw;
    }

    static Optional<String> problem(String raw) {
        if (raw == null || raw.isEmpty() || raw.length() > MAX_KEY_LENGTH) {
            return Optional.of(KEY_RULE + ", got " + (raw == null ? 0 : raw.length()));
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return Optional.of(KEY_RULE + "; character " + (i + 1) + " is U+" + String.format("%04X", (int) c));
            }
        }
        return Optional.empty();
    }

    /** Whether an answer with this status is recorded for replay (see {@link #RECORDED_CLIENT_ERRORS}). */
    public static boolean recordable(int status) {
        return (status >= 200 && status < 300) || RECORDED_CLIENT_ERRORS.contains(status);
    }

    /**
     * Where a key lives: per workspace, so two workspaces' equal keys never meet. Workspace ids hold
     * no '|' (TokenAdmin.WORKSPACE_ID), so the first '|' separates the two unambiguously.
     */
    public static String scoped(String workspaceId, String key) {
        if (workspaceId.indexOf('|') >= 0) {
            throw new IllegalArgumentException("workspace id with '|': " + workspaceId);
        }
        return workspaceId + "|" + key;
    }
}
