package io.tributary.platform.auth;

import java.util.Optional;

/** Resolves a presented token to its principal; empty when the token is unknown or revoked. */
@FunctionalInterface
public interface Authenticator {
    Optional<Principal> authenticate(String token);
}
