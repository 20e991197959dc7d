package io.tributary.deploy;

import io.tributary.platform.auth.TokenStore;
import io.tributary.platform.config.Setting;
import io.tributary.platform.kafka.KafkaClients;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A node on a temp dir, and a token store on its Kafka that issues tokens of any workspace and
 * scopes, as another process of the deployment would (the node sees them within moments).
 */
final class NodeWithTokens implements AutoCloseable {
    private final TestNodes.TempNode running;
    private final TokenStore tokens;

    private NodeWithTokens(TestNodes.TempNode running, TokenStore tokens) {
        this.running = running;
        this.tokens = tokens;
    }

    static NodeWithTokens start(String prefix, Map<Setting, String> settings) throws IOException {
        TestNodes.TempNode running = TestNodes.startInTempDir(prefix, settings);
        try {
            return new NodeWithTokens(running, TokenStore.start(new KafkaClients(running.node().kafkaBootstrap()), (short) 1,
                    Duration.ofSeconds(30), Clock.systemUTC()));
        } catch (RuntimeException e) {
            running.close();
            throw e;
        }
    }

    TributaryNode node() {
        return running.node();
    }

    /** The node's client with the operator (admin) token. */
    Http operator() {
        return running.http();
    }

    /** A client with a new token of {@code workspace}, once the node accepts it on {@code probePath}. */
    Http issue(String workspace, String probePath, String... scopes) {
        Http http = running.http().withToken(tokens.create(workspace, "test", List.of(scopes)).token());
        Await.until("the node to know the new token", () -> http.get(probePath).statusCode() != 401);
        return http;
    }

    /** A new token of {@code workspace} with {@code scopes}, as the text a client sends (e.g. as a customerscore-key). */
    String issueToken(String workspace, String... scopes) {
        return tokens.create(workspace, "test", List.of(scopes)).token();
    }

    /** As {@link #issueToken}, with its record (id, hash). */
    TokenStore.IssuedToken issueRecord(String workspace, String... scopes) {
        return tokens.create(workspace, "test", List.of(scopes));
    }

    /** Revokes a token as another process of the deployment would. */
    void revoke(String workspace, String tokenId) {
        tokens.revoke(workspace, tokenId);
    }

    @Override
    public void close() {
        tokens.close();
        running.close();
    }
}
