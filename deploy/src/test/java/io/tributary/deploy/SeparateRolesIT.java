package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.platform.auth.RequestAuth;
import io.tributary.platform.auth.TokenStore;
import io.tributary.platform.config.Setting;
import io.tributary.platform.config.SettingValues;
import io.tributary.platform.config.TributaryConfig;
import io.tributary.platform.http.HttpServer;
import io.tributary.platform.kafka.EmbeddedKafkaBroker;
import io.tributary.platform.kafka.KafkaClients;
import io.tributary.platform.metrics.Metrics;
import io.tributary.platform.registry.EmbeddedSchemaRegistry;
import io.tributary.platform.registry.SchemaRegistryRoutes;
import io.tributary.platform.testing.ClickHouseExtension;
import io.tributary.platform.testing.ClickHouseServer;
import io.tributary.platform.testing.TestFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Production mode: the gateway, processors and query roles as three nodes against an external
 * Kafka broker, an external Confluent-API registry and ClickHouse, as `tributary gateway|processors|query`
 * run them. A write through the gateway is readable through the query node.
 */
@ExtendWith(ClickHouseExtension.class)
class SeparateRolesIT {

    @Test
    void gatewayProcessorsAndQueryRunAsSeparateRoles(ClickHouseServer clickhouse) throws Exception {
        Path dir = Files.createTempDirectory("tributary-roles-");
        PrometheusMeterRegistry metrics = Metrics.prometheusRegistry();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0)) {
            KafkaClients kafka = new KafkaClients(broker.bootstrapServers());
            // the "external" registry: a Confluent-API server the roles reach over HTTP only
            try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(kafka, (short) 1);
                 TokenStore tokens = TokenStore.start(kafka, (short) 1, Duration.ofSeconds(30), Clock.systemUTC())) {
                tokens.ensureAdminToken(java.util.Optional.of(TestNodes.ADMIN_TOKEN));
                try (HttpServer registryServer = HttpServer.start("127.0.0.1", 0, 1 << 20, metrics, List.of(),
                        List.of(new SchemaRegistryRoutes("/apis/ccompat", registry, new RequestAuth(tokens))))) {
                    Map<Setting, String> common = new EnumMap<>(Setting.class);
                    common.put(Setting.KAFKA_BOOTSTRAP, broker.bootstrapServers());
                    common.put(Setting.SCHEMA_REGISTRY_URL, "http://127.0.0.1:" + registryServer.port() + "/apis/ccompat");
                    common.put(Setting.SCHEMA_REGISTRY_AUTH, TestNodes.ADMIN_TOKEN);
                    common.putAll(TestNodes.clickHouseStore(clickhouse, clickhouse.newDatabase("roles")));
                    common.put(Setting.ADMIN_TOKEN, TestNodes.ADMIN_TOKEN);
                    common.put(Setting.HTTP_HOST, "127.0.0.1");
                    common.put(Setting.HTTP_PORT, "0");
                    common.put(Setting.PARTITIONS, "3");
                    common.put(Setting.SINK_LINGER_MS, "100");

                    try (TributaryNode processors = node(common, dir.resolve("processors"), Role.PROCESSORS);
                         TributaryNode gateway = node(common, dir.resolve("gateway"), Role.GATEWAY);
                         TributaryNode query = node(common, dir.resolve("query"), Role.QUERY)) {
                        Http writes = new Http(gateway.httpPort(), TestNodes.ADMIN_TOKEN);
                        Http reads = new Http(query.httpPort(), TestNodes.ADMIN_TOKEN);

                        HttpResponse<String> posted = writes.post("/v0/events?name=customer_events&wait=true",
                                "{\"event_id\":\"roles-1\",\"customer_id\":\"roles-customer\",\"event_type\":\"purchase\","
                                        + "\"event_timestamp\":\"2023-06-15 14:30:45\",\"price\":49.99,\"quantity\":2}");
                        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);

                        HttpResponse<String> read = reads.get("/v0/pipes/customer_activity.json?customer_id=roles-customer");
                        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
                        assertThat(Http.json(read).get("data").get(0).get("event_id").asText()).isEqualTo("roles-1");

                        // each role serves only its own routes
                        assertThat(reads.post("/v0/events?name=customer_events", "{}").statusCode()).isEqualTo(404);
                        assertThat(writes.get("/v0/pipes/customer_activity.json?customer_id=x").statusCode()).isEqualTo(404);
                        // the ops report is a read route: the query role serves it, with lag measured from Kafka
                        HttpResponse<String> ops = reads.get("/v0/ops");
                        assertThat(ops.statusCode()).as(ops.body()).isEqualTo(200);
                        assertThat(Http.json(ops).get("groups").findValuesAsText("group")).contains("tributary-sink-customer_events");
                        assertThat(writes.get("/v0/ops").statusCode()).isEqualTo(404);
                        assertThat(new Http(processors.httpPort(), TestNodes.ADMIN_TOKEN).get("/ready").statusCode()).isEqualTo(200);
                        assertProxySendsEveryRouteToTheRoleThatMountsIt(gateway, processors, query);
                        assertThat(registry.subjects()).contains("customer_events-value");

                        // seed 004 across the roles: settings and the upload on the gateway, scoring in the processors, reads on the query role
                        String json = "application/json";
                        assertThat(writes.request("PUT", "/api/v1/metrics/logins", "{\"type\":\"number\"}", json).statusCode()).isEqualTo(200);
                        assertThat(writes.request("PUT", "/api/v1/scoring", "{\"components\":[{\"source\":\"metric\",\"codename\":\"logins\","
                                + "\"normalisation\":\"thresholds\",\"thresholds\":[0,10]}]}", json).statusCode()).isEqualTo(200);
                        HttpResponse<String> uploaded = writes.withToken(null).requestWithHeaders("POST", "/api/v1/customers",
                                "{\"customers\":[{\"external_id\":\"roles-c\",\"name\":\"R\",\"metrics\":[{\"date\":\"2024-04-29\",\"logins\":4}]}]}",
                                Map.of("customerscore-key", TestNodes.ADMIN_TOKEN, "Content-Type", json));
                        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
                        Await.until("the upload scored and readable on the query role",
                                () -> reads.get("/api/v1/customers/roles-c/health").statusCode() == 200);
                        assertThat(Http.json(reads.get("/api/v1/customers/roles-c/health")).get("score").asDouble()).isEqualTo(40.0);
                        assertThat(Http.json(reads.get("/api/v1/settings")).get("scoring").get("components")).hasSize(1);
                        assertThat(writes.get("/api/v1/settings").statusCode()).isEqualTo(404);
                        assertThat(reads.request("PUT", "/api/v1/scoring", "{}", json).statusCode()).isEqualTo(404);
                    }
                }
            }
        } finally {
            TestFiles.deleteRecursively(dir);
        }
    }

    /**
     * deploy/compose's nginx proxy (issue 9) against the routes these nodes really mount: a route only
     * the gateway mounts must go to the gateways, one only the query role mounts to the query APIs.
     * Routes every role mounts (/health, /ready, /metrics) may go to either; the processors role must
     * mount nothing else, since the proxy sends nothing to it.
     */
    private static void assertProxySendsEveryRouteToTheRoleThatMountsIt(TributaryNode gateway, TributaryNode processors, TributaryNode query)
            throws IOException {
        ProxyRouting proxy = ProxyRouting.load();
        Set<String> gatewayRoutes = TestNodes.mountedRoutes(gateway);
        Set<String> queryRoutes = TestNodes.mountedRoutes(query);
        Set<String> everyRole = new TreeSet<>(gatewayRoutes);
        everyRole.retainAll(queryRoutes);
        assertThat(TestNodes.mountedRoutes(processors)).as("the processors role serves only what every role serves").isEqualTo(everyRole);
        List<String> misrouted = new ArrayList<>();
        for (Map.Entry<String, Set<String>> role : Map.of("tributary_gateway", gatewayRoutes, "tributary_query", queryRoutes).entrySet()) {
            for (String route : role.getValue()) {
                if (everyRole.contains(route)) {
                    continue;
                }
                String method = route.substring(0, route.indexOf(' '));
                String path = route.substring(route.indexOf(' ') + 1).replaceAll("\\{[^}]+}|<[^>]+>", "x");
                String upstream = proxy.upstream(method, path);
                if (!upstream.equals(role.getKey())) {
                    misrouted.add(route + " -> " + upstream + ", mounted by " + role.getKey());
                }
            }
        }
        assertThat(gatewayRoutes.size() + queryRoutes.size()).as("routes compared").isGreaterThan(40);
        assertThat(misrouted).as(ProxyRouting.TEMPLATE + " sends these routes to a role that does not mount them").isEmpty();
    }

    private static TributaryNode node(Map<Setting, String> common, Path dataDir, Role role) {
        Map<Setting, String> flags = new EnumMap<>(common);
        flags.put(Setting.DATA_DIR, dataDir.toString());
        TributaryConfig config = TributaryConfig.from(SettingValues.resolve(flags, Map.of()));
        return TributaryNode.start(config, EnumSet.of(role), new PrintWriter(new StringWriter()), false);
    }
}
