package io.tributary.platform.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.tributary.platform.kafka.CompactedTopicTable;
import io.tributary.platform.kafka.KafkaClients;
import io.tributary.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * API tokens, hashed, in the compacted topic {@code _tributary_tokens}, so every process of a
 * deployment (gateways, query APIs) sees tokens created or revoked by any other within moments.
 */
public final class TokenStore implements Authenticator, AutoCloseable {
    public static final String ADMIN_TOKEN_ID = "admin";
    public static final String DEFAULT_WORKSPACE = "default";

    /** A token as issued: the plaintext is shown to its creator once and never stored. */
    public record IssuedToken(String token, TokenRecord record) {
    }

    private final CompactedTopicTable<String, TokenRecord> table;
    private final Map<String, TokenRecord> byHash = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    private TokenStore(CompactedTopicTable<String, TokenRecord> table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    public static TokenStore start(KafkaClients clients, short replicationFactor, Duration timeout, Clock clock) {
        ObjectMapper mapper = new ObjectMapper().registerModule(new Jdk8Module());
        Serde<TokenRecord> valueSerde = Serdes.serdeFrom(
                (topic, record) -> {
                    try {
                        return record == null ? null : mapper.writeValueAsBytes(record);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                (topic, bytes) -> {
                    try {
                        return bytes == null ? null : mapper.readValue(bytes, TokenRecord.class);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
        CompactedTopicTable<String, TokenRecord> table = new CompactedTopicTable<>(
                clients, Topics.TOKENS, replicationFactor, Serdes.String(), valueSerde, timeout);
        TokenStore store = new TokenStore(table, clock);
        table.addListener(change -> {
            change.previous().ifPresent(p -> store.byHash.remove(p.sha256()));
            change.current().ifPresent(c -> store.byHash.put(c.sha256(), c));
        });
        table.start();
        return store;
    }

    @Override
    public Optional<Principal> authenticate(String token) {
        String hash = Tokens.sha256Hex(token);
        TokenRecord record = byHash.get(hash);
        if (record == null || !record.active() || !Tokens.sameHash(record.sha256(), hash)) {
            return Optional.empty();
        }
        return Optional.of(record.principal());
    }

    /**
     * Makes sure an admin token exists. A configured token (TRIBUTARY_ADMIN_TOKEN) becomes the
     * admin token, replacing an earlier one. Without one, a token is generated the first time and
     * returned so the caller can print it once; later starts find it and return empty.
     */
    public Optional<String> ensureAdminToken(Optional<String> configured) {
        Optional<TokenRecord> existing = table.get(ADMIN_TOKEN_ID).filter(TokenRecord::active);
        if (configured.isPresent()) {
            String hash = Tokens.sha256Hex(configured.get());
            if (existing.isEmpty() || !Tokens.sameHash(existing.get().sha256(), hash)) {
                table.put(ADMIN_TOKEN_ID, new TokenRecord(ADMIN_TOKEN_ID, DEFAULT_WORKSPACE, "admin (configured)", hash,
                        List.of(Scope.ADMIN.toString()), clock.millis(), Optional.empty()));
            }
            return Optional.empty();
        }
        if (existing.isPresent()) {
            return Optional.empty();
        }
        String token = Tokens.newToken(random);
        table.put(ADMIN_TOKEN_ID, new TokenRecord(ADMIN_TOKEN_ID, DEFAULT_WORKSPACE, "admin (generated)", Tokens.sha256Hex(token),
                List.of(Scope.ADMIN.toString()), clock.millis(), Optional.empty()));
        return Optional.of(token);
    }

    /** Issues a new token for {@code workspaceId} with {@code scopes} (each checked by Scope.parse). */
    public IssuedToken create(String workspaceId, String name, List<String> scopes) {
        String token = Tokens.newToken(random);
        TokenRecord record = new TokenRecord(Tokens.randomAlphanumeric(random, 16), workspaceId, name, Tokens.sha256Hex(token),
                scopes, clock.millis(), Optional.empty());
        table.put(record.id(), record);
        return new IssuedToken(token, record);
    }

    /**
     * The workspace's tokens, oldest first (hashes included; callers decide what to show). Like
     * {@link #find} and {@link #revoke}, it first reads the topic to its end: these are rare admin
     * calls, and a token created through one process (a gateway) must be listed or revoked through
     * any other (a query node) right away.
     */
    public List<TokenRecord> list(String workspaceId) {
        table.readToEnd();
        return table.snapshot().values().stream()
                .filter(r -> r.workspaceId().equals(workspaceId))
                .sorted(Comparator.comparingLong(TokenRecord::createdAt).thenComparing(TokenRecord::id))
                .toList();
    }

    /** The token with this id, in whichever workspace, revoked or not. */
    public Optional<TokenRecord> find(String tokenId) {
        table.readToEnd();
        return table.get(tokenId);
    }

    /** Revokes a token of the workspace; false when the workspace has no such token. */
    public boolean revoke(String workspaceId, String tokenId) {
        Optional<TokenRecord> record = find(tokenId).filter(r -> r.workspaceId().equals(workspaceId));
        if (record.isEmpty()) {
            return false;
        }
        if (record.get().active()) {
            table.put(tokenId, record.get().revoked(clock.millis()));
        }
        return true;
    }

    @Override
    public void close() {
        table.close();
    }
}
