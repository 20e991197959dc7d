package io.tributary.platform.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** Pins how tokens are kept and compared: SHA-256 at rest, lookup by hash, constant-time comparison. */
class TokensTest {
    @Test
    void tokensAreRandomAndHashedWithSha256() {
        String token = Tokens.newToken(new SecureRandom());
        assertThat(token).matches("trb_[0-9A-Za-z]{40}");
        assertThat(Tokens.sha256Hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Tokens.sha256Hex(token)).hasSize(64).doesNotContain(token.substring(4));
    }

    @Test
    void hashesCompareEqualOnlyWhenEqual() {
        String h = Tokens.sha256Hex("t1");
        assertThat(Tokens.sameHash(h, Tokens.sha256Hex("t1"))).isTrue();
        assertThat(Tokens.sameHash(h, Tokens.sha256Hex("t2"))).isFalse();
        assertThat(Tokens.sameHash(h, h.substring(0, 63))).isFalse();
    }

    /**
     * The code path: TokenStore looks a presented token up by its hash (never by its text, never by
     * a loop of String.equals) and confirms with MessageDigest.isEqual. A change to either shows here.
     */
    @Test
    void theAuthenticatorLooksUpByHashAndComparesInConstantTime() throws IOException {
        String tokens = source("Tokens.java");
        String store = source("TokenStore.java");
        assertThat(tokens).contains("MessageDigest.isEqual(");
        assertThat(store).contains("String hash = Tokens.sha256Hex(token);")
                .contains("byHash.get(hash)")
                .contains("Tokens.sameHash(record.sha256(), hash)")
                .doesNotContain("token.equals(")
                .doesNotContain(".sha256().equals(");
    }

    private static String source(String file) throws IOException {
        return Files.readString(Path.of("src/main/java/io/tributary/platform/auth", file));
    }
}
