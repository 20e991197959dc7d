package io.tributary.platform.auth;

import io.tributary.platform.http.ApiException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import io.tributary.platform.kafka.KafkaCalls;

/**
 * Who may manage which tokens. An admin token manages the tokens of its own workspace; only the
 * operator admin token (id {@link TokenStore#ADMIN_TOKEN_ID}, the one the node prints or takes from
 * TRIBUTARY_ADMIN_TOKEN) may name another workspace, which is how a new workspace gets its first
 * token. The operator token itself cannot be revoked here: with it gone nobody could issue tokens
 * for a new workspace, and the node would replace it at its next start anyway.
 */
public final class TokenAdmin {
    /** Workspace ids: short, and safe in URLs, logs and file names. */
    public static final Pattern WORKSPACE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    public static final String WORKSPACE_ID_RULE = "must be 1 to 64 characters of A-Z, a-z, 0-9, _ and -";
    public static final int MAX_NAME_LENGTH = 200;

    /** A token to issue, already checked: a name of at most 200 characters, known scopes, a valid workspace if any. */
    public record NewToken(Optional<String> workspaceId, String name, List<Scope> scopes) {
        public NewToken {
            Objects.requireNonNull(workspaceId);
            Objects.requireNonNull(name);
            scopes = List.copyOf(scopes);
        }
    }

    private final TokenStore tokens;

    public TokenAdmin(TokenStore tokens) {
        this.tokens = Objects.requireNonNull(tokens);
    }

    /** Issues the token in the caller's workspace, or the one it names (operator only). */
    public TokenStore.IssuedToken create(Principal caller, NewToken request) {
        String workspace = workspaceFor(caller, request.workspaceId());
        return kafka(() -> tokens.create(workspace, request.name(), request.scopes().stream().map(Scope::toString).toList()));
    }

    /** The tokens of the caller's workspace, or of the one it names (operator only), oldest first. */
    public List<TokenRecord> list(Principal caller, Optional<String> workspaceId) {
        String workspace = workspaceFor(caller, workspaceId);
        return kafka(() -> tokens.list(workspace));
    }

    /**
     * Revokes a token of the caller's workspace. The operator may name the workspace or leave it to
     * the token's own. Revoking a token again is not an error: the outcome is the one asked for.
     */
    public void revoke(Principal caller, Optional<String> workspaceId, String tokenId) {
        if (tokenId.equals(TokenStore.ADMIN_TOKEN_ID)) {
            throw ApiException.badRequest("the operator admin token cannot be revoked: it is the only token that can issue tokens"
                    + " for a new workspace; replace it by restarting the node with another TRIBUTARY_ADMIN_TOKEN");
        }
        String workspace = isOperator(caller) && workspaceId.isEmpty()
                ? kafka(() -> tokens.find(tokenId)).map(TokenRecord::workspaceId).orElseThrow(() -> noSuchToken(tokenId))
                : workspaceFor(caller, workspaceId);
        if (!kafka(() -> tokens.revoke(workspace, tokenId))) {
            throw noSuchToken(tokenId);
        }
    }

    private static <T> T kafka(Supplier<T> call) {
        return KafkaCalls.orUnavailable("the token store", call);
    }

    private static String workspaceFor(Principal caller, Optional<String> requested) {
        String workspace = requested.orElse(caller.workspaceId());
        if (!workspace.equals(caller.workspaceId()) && !isOperator(caller)) {
            throw ApiException.forbidden("only the operator admin token may manage the tokens of another workspace (this token belongs to '"
                    + caller.workspaceId() + "')");
        }
        return workspace;
    }

    /** Whether the caller holds the operator admin token, the one that may act on any workspace. */
    static boolean isOperator(Principal caller) {
        return caller.tokenId().equals(TokenStore.ADMIN_TOKEN_ID);
    }

    // The same answer for an unknown id and another workspace's id, so ids cannot be probed.
    private static ApiException noSuchToken(String tokenId) {
        return ApiException.notFound("no token with id '" + tokenId + "'");
    }
}
