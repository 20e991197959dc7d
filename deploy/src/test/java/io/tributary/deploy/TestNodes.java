package io.tributary.deploy;

import io.tributary.platform.config.Setting;
import io.tributary.platform.config.SettingValues;
import io.tributary.platform.config.TributaryConfig;
import io.tributary.platform.testing.ClickHouseServer;
import io.tributary.platform.testing.TestFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import io.javalin.http.HandlerType;
import io.javalin.router.ParsedEndpoint;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Starts real all-in-one nodes in the test JVM on free ports. */
final class TestNodes {
    static final String ADMIN_TOKEN = "trb_test_admin_token_0123456789abcdef";

    private TestNodes() {
    }

    /** A node on a fresh temporary data dir, with an admin client; closing it stops the node and deletes the dir. */
    record TempNode(TributaryNode node, Path dataDir, Http http) implements AutoCloseable {
        @Override
        public void close() {
            node.close();
            TestFiles.deleteRecursively(dataDir);
        }
    }

    /** Starts an all-in-one node (see {@link #start(Path, Map)}) on a new temp dir named {@code prefix…}. */
    static TempNode startInTempDir(String prefix, Map<Setting, String> extra) throws IOException {
        Path dataDir = Files.createTempDirectory(prefix);
        try {
            TributaryNode node = start(dataDir, extra);
            return new TempNode(node, dataDir, new Http(node.httpPort(), ADMIN_TOKEN));
        } catch (RuntimeException e) {
            TestFiles.deleteRecursively(dataDir);
            throw e;
        }
    }

    /** Every route {@code node}'s HTTP server mounts, as "METHOD /path/{param}", read from its Javalin router. */
    static Set<String> mountedRoutes(TributaryNode node) {
        Set<String> routes = new TreeSet<>();
        for (ParsedEndpoint e : node.httpServer().javalin().unsafeConfig().pvt.internalRouter.allHttpHandlers()) {
            HandlerType method = e.getEndpoint().getMethod();
            if (method.isHttpMethod()) {
                routes.add(method.name() + " " + e.getEndpoint().getPath());
            }
        }
        return routes;
    }

    /** The settings that make a node use {@code server}'s database {@code database} as its store. */
    static Map<Setting, String> clickHouseStore(ClickHouseServer server, String database) {
        return Map.of(
                Setting.STORE, "clickhouse",
                Setting.CLICKHOUSE_URL, server.url(),
                Setting.CLICKHOUSE_USER, server.user(),
                Setting.CLICKHOUSE_PASSWORD, server.password(),
                Setting.CLICKHOUSE_DATABASE, database);
    }

    /** An all-in-one node on {@code dataDir} with free HTTP and Kafka ports; {@code extra} adds or overrides settings. */
    static TributaryNode start(Path dataDir, Map<Setting, String> extra) {
        return start(dataDir, extra, false);
    }

    /** As above; {@code rebuildStore} empties the store and replays every topic into it (--rebuild-store). */
    static TributaryNode start(Path dataDir, Map<Setting, String> extra, boolean rebuildStore) {
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        flags.put(Setting.DATA_DIR, dataDir.toString());
        flags.put(Setting.HTTP_HOST, "127.0.0.1");
        flags.put(Setting.HTTP_PORT, "0");
        flags.put(Setting.KAFKA_PORT, "0");
        flags.put(Setting.PARTITIONS, "3");
        flags.put(Setting.ADMIN_TOKEN, ADMIN_TOKEN);
        // Each POST of a resource waits until its row is in the store (read-your-writes), i.e. for the
        // sink's linger: 50 ms instead of the default 200 (DuckDB) or 500 ms (ClickHouse) makes a test
        // posting 25 segments take ~3 s, not ~14. Batching itself is the same code at any linger.
        flags.put(Setting.SINK_LINGER_MS, "50");
        flags.putAll(extra);
        TributaryConfig config = TributaryConfig.from(SettingValues.resolve(flags, Map.of()));
        StringWriter out = new StringWriter();
        return TributaryNode.start(config, EnumSet.allOf(Role.class), new PrintWriter(out, true), false, rebuildStore);
    }
}
