package io.tributary.platform.auth;

import java.util.Set;

/** Who is calling: the token's workspace, the token's id (never the token itself) and its scopes. */
public record Principal(String workspaceId, String tokenId, Set<Scope> scopes) {
    public Principal {
        scopes = Set.copyOf(scopes);
    }

    public boolean can(Scope required) {
        for (Scope s : scopes) {
            if (s.grants(required)) {
                return true;
            }
        }
        return false;
    }
}
