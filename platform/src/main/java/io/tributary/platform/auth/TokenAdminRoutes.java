package io.tributary.platform.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.javalin.http.Context;
import io.tributary.platform.http.ApiException;
import io.tributary.platform.http.ErrorDetail;
import io.tributary.platform.http.HttpRoutes;
import io.tributary.platform.http.RequestFields;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Token administration, every route needing scope {@code admin} (who may touch which workspace:
 * {@link TokenAdmin}). {@link #writes} ({@code POST /v0/tokens}, {@code DELETE /v0/tokens/{id}})
 * is mounted by the gateway role and {@link #reads} ({@code GET /v0/tokens}) by the query role,
 * as for every other resource. The plaintext token appears only in the answer to the POST; lists
 * show neither token nor hash, and nothing here logs either. Times are unix seconds.
 */
public final class TokenAdminRoutes {
    public static final String PATH = "/v0/tokens";
    static final String NAME = "name";
    static final String SCOPES = "scopes";
    static final String WORKSPACE_ID = "workspace_id";
    private static final List<String> CREATE_FIELDS = List.of(NAME, SCOPES, WORKSPACE_ID);
    /** Scopes in one string are separated by commas and/or spaces ("pipes:read, events:append"). */
    private static final Pattern SCOPE_SEPARATORS = Pattern.compile("[,\\s]+");

    /** A token as lists show it. */
    record TokenView(String id, String name, @JsonProperty("workspace_id") String workspaceId, List<String> scopes,
                     @JsonProperty("created_at") long createdAt, @JsonProperty("revoked_at") Long revokedAt) {
        static TokenView of(TokenRecord r) {
            return new TokenView(r.id(), r.name(), r.workspaceId(), r.scopes(), seconds(r.createdAt()),
                    r.revokedAt().map(TokenAdminRoutes::seconds).orElse(null));
        }
    }

    /** The answer to the POST: the only place the plaintext token is ever shown. */
    record IssuedTokenView(String id, String name, @JsonProperty("workspace_id") String workspaceId, List<String> scopes,
                           @JsonProperty("created_at") long createdAt, String token) {
        static IssuedTokenView of(TokenStore.IssuedToken issued) {
            TokenRecord r = issued.record();
            return new IssuedTokenView(r.id(), r.name(), r.workspaceId(), r.scopes(), seconds(r.createdAt()), issued.token());
        }
    }

    private final TokenAdmin admin;
    private final RequestAuth auth;

    private TokenAdminRoutes(TokenStore tokens, RequestAuth auth) {
        this.admin = new TokenAdmin(tokens);
        this.auth = Objects.requireNonNull(auth);
    }

    /** {@code POST /v0/tokens} and {@code DELETE /v0/tokens/{id}}, for the gateway role. */
    public static HttpRoutes writes(TokenStore tokens, RequestAuth auth) {
        TokenAdminRoutes routes = new TokenAdminRoutes(tokens, auth);
        return app -> {
            app.post(PATH, routes::create);
            app.delete(PATH + "/{id}", routes::revoke);
        };
    }

    /** {@code GET /v0/tokens}, for the query role. */
    public static HttpRoutes reads(TokenStore tokens, RequestAuth auth) {
        TokenAdminRoutes routes = new TokenAdminRoutes(tokens, auth);
        return app -> app.get(PATH, routes::list);
    }

    private void create(Context ctx) {
        Principal caller = auth.require(ctx, Scope.ADMIN);
        TokenAdmin.NewToken request = newToken(RequestFields.parse(ctx.contentType(), ctx.body(), Set.of(SCOPES)));
        TokenStore.IssuedToken issued = admin.create(caller, request);
        // the answer holds a secret: no cache may keep it
        ctx.status(201).header("Cache-Control", "no-store").json(IssuedTokenView.of(issued));
    }

    private void list(Context ctx) {
        Principal caller = auth.require(ctx, Scope.ADMIN);
        List<TokenRecord> tokens = admin.list(caller, workspaceParam(ctx));
        ctx.header("Cache-Control", "no-store").json(Map.of("data", tokens.stream().map(TokenView::of).toList()));
    }

    private void revoke(Context ctx) {
        Principal caller = auth.require(ctx, Scope.ADMIN);
        admin.revoke(caller, workspaceParam(ctx), ctx.pathParam("id"));
        ctx.status(204);
    }

    /** The body of a POST, checked: 400 naming every unknown, missing or invalid field. */
    static TokenAdmin.NewToken newToken(RequestFields fields) {
        fields.allowOnly(CREATE_FIELDS).require(List.of(NAME, SCOPES));
        List<ErrorDetail> problems = new ArrayList<>();
        String name = fields.get(NAME).orElseThrow().strip();
        if (name.length() > TokenAdmin.MAX_NAME_LENGTH) {
            problems.add(ErrorDetail.field(NAME, "must be at most " + TokenAdmin.MAX_NAME_LENGTH + " characters, got " + name.length()));
        }
        Set<Scope> scopes = new LinkedHashSet<>();
        for (String value : fields.getAll(SCOPES)) {
            for (String text : SCOPE_SEPARATORS.split(value.strip())) {
                if (text.isEmpty()) {
                    continue;
                }
                try {
                    scopes.add(Scope.parseKnown(text));
                } catch (IllegalArgumentException e) {
                    problems.add(ErrorDetail.field(SCOPES, e.getMessage()));
                }
            }
        }
        if (scopes.isEmpty() && problems.stream().noneMatch(p -> p.field().equals(SCOPES))) {
            problems.add(ErrorDetail.field(SCOPES, "must name at least one scope"));
        }
        Optional<String> workspace = fields.get(WORKSPACE_ID);
        if (workspace.isPresent() && !TokenAdmin.WORKSPACE_ID.matcher(workspace.get()).matches()) {
            problems.add(ErrorDetail.field(WORKSPACE_ID, TokenAdmin.WORKSPACE_ID_RULE));
        }
        if (!problems.isEmpty()) {
            List<String> named = problems.stream().map(ErrorDetail::field).distinct().toList();
            throw ApiException.badRequest("invalid field" + (named.size() == 1 ? "" : "s") + ": " + String.join(", ", named), problems);
        }
        return new TokenAdmin.NewToken(workspace, name, List.copyOf(scopes));
    }

    /** {@code ?workspace_id=}: absent means the caller's own workspace. */
    private static Optional<String> workspaceParam(Context ctx) {
        List<String> values = ctx.queryParams(WORKSPACE_ID);
        if (values.size() > 1) {
            throw ApiException.invalidParam(WORKSPACE_ID, "is given " + values.size() + " times");
        }
        if (values.isEmpty()) {
            return Optional.empty();
        }
        if (!TokenAdmin.WORKSPACE_ID.matcher(values.get(0)).matches()) {
            throw ApiException.invalidParam(WORKSPACE_ID, TokenAdmin.WORKSPACE_ID_RULE);
        }
        return Optional.of(values.get(0));
    }

    private static long seconds(long epochMillis) {
        return Math.floorDiv(epochMillis, 1000L);
    }
}
