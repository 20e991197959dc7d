package io.tributary.platform.auth;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A stored API token: never the token itself, only its SHA-256 hash. {@code id} is public (shown
 * in lists, used to revoke); {@code name} is a label chosen by whoever created it.
 */
public record TokenRecord(String id, String workspaceId, String name, String sha256, List<String> scopes,
                          long createdAt, Optional<Long> revokedAt) {
    public TokenRecord {
        Objects.requireNonNull(id);
        Objects.requireNonNull(workspaceId);
        Objects.requireNonNull(name);
        Objects.requireNonNull(sha256);
        scopes = List.copyOf(scopes);
        Objects.requireNonNull(revokedAt);
        scopes.forEach(Scope::parse); // fail early on a malformed scope
    }

    public boolean active() {
        return revokedAt.isEmpty();
    }

    public Principal principal() {
        Set<Scope> parsed = scopes.stream().map(Scope::parse).collect(Collectors.toUnmodifiableSet());
        return new Principal(workspaceId, id, parsed);
    }

    public TokenRecord revoked(long at) {
        return new TokenRecord(id, workspaceId, name, sha256, scopes, createdAt, Optional.of(at));
    }
}
