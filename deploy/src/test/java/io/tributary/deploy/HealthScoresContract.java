package io.tributary.deploy;

import static io.tributary.deploy.ApiAssertions.assertError;
import static io.tributary.deploy.ApiAssertions.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.platform.config.Setting;
import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.HealthScore;
import io.tributary.schemas.registry.HttpSchemaRegistryClient;
import io.tributary.schemas.serde.AvroDeserializer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Seed 004 end to end on a real node (gateway → Kafka → health-score streams → sinks → store →
 * query routes): the seed's examples as written, every response code of its table, scores
 * recomputed independently here for a generated data set, and a weight change rescoring one
 * workspace only. Both stores.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HealthScoresContract {
    static final String UPLOAD = "/api/v1/customers";
    static final String KEY = "customerscore-key";
    static final int BURST = 10;

    private NodeWithTokens running;

    protected abstract Map<Setting, String> storeSettings() throws Exception;

    @BeforeAll
    void startNode() throws Exception {
        Map<Setting, String> settings = new java.util.EnumMap<>(Setting.class);
        settings.putAll(storeSettings());
        settings.put(Setting.UPLOAD_BURST, Integer.toString(BURST));
        settings.put(Setting.UPLOAD_RATE_PER_MINUTE, "1");
        settings.put(Setting.UPLOAD_MAX_BYTES, Integer.toString(4 << 20));
        running = NodeWithTokens.start("tributary-health-", settings);
    }

    @AfterAll
    void stopNode() {
        if (running != null) {
            running.close();
        }
    }

    // --- the seed's examples ---

    @Test
    void theSeedsFullRequestBodyAsWrittenIsAcceptedAndItsCustomerScored() throws Exception {
        Http admin = admin("ws-seed004");
        for (String[] a : new String[][] {{"country_name", "string"}, {"customers_count", "number"}, {"has_avatar", "boolean"}}) {
            ok(admin.request("PUT", "/api/v1/attributes/" + a[0], "{\"type\":\"" + a[1] + "\"}", "application/json"));
        }
        for (String[] m : new String[][] {{"country", "string"}, {"has_picture", "boolean"}, {"resolved_tickets", "number"}, {"created_at", "date"}}) {
            ok(admin.request("PUT", "/api/v1/metrics/" + m[0], "{\"type\":\"" + m[1] + "\"}", "application/json"));
        }
        ok(admin.request("PUT", "/api/v1/members/owner@example.com", "{\"name\":\"Olga Owner\"}", "application/json"));
        ok(admin.request("PUT", "/api/v1/scoring", """
                {"components": [
                  {"source": "metric", "codename": "resolved_tickets", "weight": 2, "normalisation": "thresholds", "thresholds": [0, 50]},
                  {"source": "metric", "codename": "has_picture", "normalisation": "thresholds", "thresholds": [0, 1]},
                  {"source": "attribute", "codename": "customers_count", "normalisation": "percentile"}]}""", "application/json"));
        String key = uploadKey("ws-seed004");

        String seed = Files.readString(seed004());
        String body = seed.substring(seed.indexOf('{', seed.indexOf("Full Request Body Example")), seed.indexOf("Owner Email Field"));
        HttpResponse<String> r = upload(key, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode result = Http.json(r);
        assertThat(result.get("received").asInt()).isEqualTo(1);
        assertThat(result.get("ignored_keys").toString()).as("every key of the example is defined").isEqualTo("{\"attributes\":[],\"metrics\":[]}");
        assertThat(result.get("unlinked_owner_emails")).as("owner@example.com is a member").isEmpty();

        Http reader = running.issue("ws-seed004", "/api/v1/notifications", "analytics:read");
        JsonNode health = awaitHealth(reader, "12345");
        // resolved_tickets 39 of [0, 50] → 78 (weight 2); has_picture true → 100; customers_count alone in the workspace → 50
        assertThat(health.get("score").asDouble()).isEqualTo(76.5);
        assertThat(health.get("band").asText()).isEqualTo("healthy");
        assertThat(health.get("owner_email").asText()).isEqualTo("owner@example.com");
        assertThat(health.get("owner").toString()).as("linked to the member").isEqualTo("{\"email\":\"owner@example.com\",\"member\":true,\"name\":\"Olga Owner\"}");
        assertThat(health.get("name").asText()).isEqualTo("Knapp-Cruz Inc.");
        assertThat(health.get("change").isNull()).as("a first score has no change").isTrue();
        assertThat(health.get("components").size()).isEqualTo(3);
        assertThat(health.get("components").get(0).get("contribution").asDouble()).isEqualTo(39.0);

        // the seed's curl, host and key swapped: the same customer again, now with the curl's values
        String curl = seed.substring(seed.indexOf("curl -X POST"), seed.indexOf("}'", seed.indexOf("curl -X POST")) + 2);
        SeedCurlExamples.CommandResult ran = SeedCurlExamples.run(curl, Map.of("https://api.customerscore.io", baseUrl(),
                "your-generated-key", key), key);
        assertThat(ran.status()).as(ran.command() + "\n" + ran.body()).isEqualTo(200);
        Await.until("the curl's upload to be scored", () -> Http.json(reader.get("/api/v1/customers/12345/health")).path("cause").asText()
                .equals("upload") && !Http.json(reader.get("/api/v1/customers/12345/health")).path("upload_id").asText()
                .equals(result.get("upload_id").asText()));
        JsonNode again = Http.json(reader.get("/api/v1/customers/12345/health"));
        // the curl's metrics hold resolved_tickets 39 for the same date; has_picture and customers_count keep their earlier values
        assertThat(again.get("score").asDouble()).isEqualTo(76.5);
        assertThat(again.get("change").asDouble()).isEqualTo(0.0);

        JsonNode notifications = Http.json(reader.get("/api/v1/notifications"));
        assertThat(notifications.get("total").asInt()).isEqualTo(2);
        // newest first by created_at, whole seconds: two uploads in one second tie, so find the first by its upload id
        JsonNode first = java.util.stream.StreamSupport.stream(notifications.get("data").spliterator(), false)
                .filter(n -> n.get("upload_id").asText().equals(result.get("upload_id").asText())).findFirst().orElseThrow();
        assertThat(first.get("recipients").toString()).isEqualTo("[\"owner@example.com\"]");
        assertThat(first.get("message").asText()).contains("1 customer").contains("healthy 1");
        assertThat(Http.json(reader.get("/api/v1/notifications?recipient=someone@else.com")).get("total").asInt()).isZero();

        // the uploaded customer is the Customers API's customer (seed 003), with the typed attributes as text
        running.operator().request("PUT", "/v0/workspaces/ws-seed004/entitlements/revenue-tracking", null, null);
        Http customers = running.issue("ws-seed004", "/customers", "links:read");
        Await.until("the uploaded customer in the Customers API", () -> customers.get("/customers/ext_12345").statusCode() == 200);
        JsonNode customer = Http.json(customers.get("/customers/ext_12345"));
        assertThat(customer.get("name").asText()).isEqualTo("Knapp-Cruz Inc.");
        assertThat(customer.get("attributes").get("customers_count").asText()).isEqualTo("99");
        assertThat(customer.get("attributes").get("crm_link").asText()).isEqualTo("https://your-crm.com/12345");
    }

    // --- every response code of the seed's table ---

    @Test
    void everyResponseCodeOfTheSeedsTable() {
        Http admin = configured("ws-codes");
        String key = uploadKey("ws-codes");
        String good = "{\"customers\":[{\"external_id\":\"c-1\",\"name\":\"One\",\"metrics\":[{\"date\":\"2024-04-29\",\"logins\":3}]}]}";
        Http anonymous = running.operator().withToken(null);

        assertThat(upload(key, good).statusCode()).isEqualTo(200);
        for (String method : List.of("GET", "PUT", "PATCH", "DELETE")) {
            HttpResponse<String> r = anonymous.requestWithHeaders(method, UPLOAD, method.equals("GET") || method.equals("DELETE") ? null : good,
                    Map.of(KEY, key));
            assertError(r, 405, "METHOD_NOT_ALLOWED", method);
            assertThat(r.headers().firstValue("Allow")).contains("POST");
        }
        assertError(anonymous.requestWithHeaders("POST", UPLOAD, good, Map.of(KEY, key, "Accept", "text/html")), 406, "NOT_ACCEPTABLE", "Accept html");
        assertThat(anonymous.requestWithHeaders("POST", UPLOAD, good, Map.of(KEY, key, "Accept", "text/html, application/*;q=0.5")).statusCode())
                .isEqualTo(200);
        assertError(anonymous.requestWithHeaders("POST", UPLOAD, good, Map.of("Content-Type", "application/json")), 401, "UNAUTHORIZED", "no key");
        assertError(anonymous.requestWithHeaders("POST", UPLOAD, good, Map.of("Authorization", "Bearer " + key)), 401, "UNAUTHORIZED",
                "the key must come as customerscore-key");
        assertError(upload("trb_not_a_key", good), 403, "FORBIDDEN", "invalid key");
        String readOnly = running.issueToken("ws-codes", "analytics:read");
        Await.until("the read-only key to be known", () -> upload(readOnly, good).statusCode() == 403
                && Http.json(upload(readOnly, good)).get("error").get("message").asText().contains("scope"));

        Http unconfigured = admin("ws-unconfigured");
        ok(unconfigured.request("PUT", "/api/v1/metrics/logins", "{\"type\":\"number\"}", "application/json"));
        String unconfiguredKey = uploadKey("ws-unconfigured");
        assertError(upload(unconfiguredKey, good), 490, "UNCONFIGURED_SCORING", "no scoring configuration");

        JsonNode bad = assertError(upload(key, """
                {"customers": [
                  {"external_id": "ok-1", "name": "Fine"},
                  {"name": "No id", "owner_email": "not-an-email"},
                  {"external_id": "ok-1", "name": "Twice"},
                  {"external_id": "x", "name": "%s",
                   "attributes": {"seats": "many"},
                   "metrics": [{"date": "2024-04-29", "logins": true}, {"date": "2024-04-29"}, {"logins": 1}]}
                ]}""".formatted("n".repeat(256))), 400, "BAD_REQUEST", "bad customers");
        assertThat(fields(bad)).containsExactlyInAnyOrder("customers[1].external_id", "customers[1].owner_email", "customers[2].external_id",
                "customers[3].name", "customers[3].attributes.seats", "customers[3].metrics[0].logins", "customers[3].metrics[1].date",
                "customers[3].metrics[2].date");
        assertThat(bad.toString()).contains("expected a number, got string \\\"many\\\"").contains("expected a number, got boolean true");
        assertError(upload(key, "{\"customers\": [{\"external_id\": \"m\", \"name\": \"M\", \"metrics\": " + metrics(201) + "}]}"),
                400, "BAD_REQUEST", "201 metrics");
        assertThat(upload(key, "{\"customers\": [{\"external_id\": \"m\", \"name\": \"M\", \"metrics\": " + metrics(200) + "}]}").statusCode())
                .as("200 metrics are allowed").isEqualTo(200);
        assertError(upload(key, "{}"), 400, "BAD_REQUEST", "customers is mandatory");
        assertError(upload(key, "{\"customers\": [}"), 400, "BAD_REQUEST", "malformed JSON");
        assertError(upload(key, "{\"customers\": \"x\".repeat(1)}".replace(".repeat(1)", "") + " ".repeat(5 << 20)), 413, "PAYLOAD_TOO_LARGE", "too large");

        String limited = uploadKey("ws-codes");
        int accepted = 0;
        HttpResponse<String> r = null;
        for (int i = 0; i <= BURST; i++) {
            r = upload(limited, "{}");
            if (r.statusCode() != 429) {
                accepted++;
            }
        }
        assertThat(accepted).as("the burst, less the upload uploadKey probed the new key with").isEqualTo(BURST - 1);
        assertError(r, 429, "TOO_MANY_REQUESTS", "past the burst");
        assertThat(Integer.parseInt(r.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 60);
        assertThat(upload(key, good).statusCode()).as("another key has its own bucket").isEqualTo(200);
        assertThat(admin).isNotNull();
    }

    // --- the score, recomputed independently ---

    @Test
    void scoresOfAGeneratedDataSetMatchAnIndependentRecomputation() {
        configured("ws-recompute");
        String key = uploadKey("ws-recompute");
        Random random = new Random(20261202);
        Map<String, Map<String, TreeMap<LocalDate, Double>>> truth = new TreeMap<>(); // customer → metric → date → value
        Map<String, Double> seats = new TreeMap<>();
        ArrayNode first = JsonNodeFactory.instance.arrayNode();
        int customers = 150;
        for (int i = 0; i < customers; i++) {
            String id = "gen-" + i;
            first.add(customer(id, random, truth, seats, LocalDate.of(2024, 1, 1)));
        }
        ArrayNode second = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < 40; i++) {
            // dates from mid-2024 on: some earlier than the first upload's latest (ignored), some later, some the same (replaced)
            second.add(customer("gen-" + (i * 3), random, truth, seats, LocalDate.of(2024, 6, 1)));
        }
        second.add(customer("gen-new", random, truth, seats, LocalDate.of(2024, 1, 1)));
        ObjectNode empty = JsonNodeFactory.instance.objectNode().put("external_id", "gen-empty").put("name", "No data");
        second.add(empty);
        truth.put("gen-empty", Map.of());
        String firstId = uploadOk(key, first);
        String secondId = uploadOk(key, second);

        Http reader = running.issue("ws-recompute", "/api/v0/none", "analytics:read", "pipes:read");
        Await.until("both uploads to be scored", () -> Http.json(reader.get("/api/v1/notifications")).path("total").asInt() == 2);
        Map<String, Double> expected = new TreeMap<>();
        truth.forEach((id, metrics) -> expected.put(id, expectedScore(metrics, seats.get(id), seats)));
        Map<String, Double> actual = new TreeMap<>();
        Await.until("every score in the store", () -> {
            actual.clear();
            for (JsonNode row : Http.json(reader.get("/v0/pipes/customer_health.json?limit=1000")).get("data")) {
                actual.put(row.get("external_id").asText(), row.get("score").isNull() ? null : row.get("score").asDouble());
            }
            return actual.keySet().equals(expected.keySet()) && scoresMatch(expected, actual);
        });
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((id, score) -> {
            if (score == null) {
                assertThat(actual.get(id)).as(id + " has no value of any component").isNull();
            } else {
                assertThat(actual.get(id)).as(id).isCloseTo(score, within(0.011));
            }
        });
        assertThat(expected.values().stream().filter(v -> v != null).distinct().count()).as("a varied data set").isGreaterThan(100);
        JsonNode notices = Http.json(reader.get("/api/v1/notifications")).get("data");
        assertThat(List.of(notices.get(0).get("upload_id").asText(), notices.get(1).get("upload_id").asText()))
                .containsExactlyInAnyOrder(firstId, secondId);

        for (String id : List.of("gen-0", "gen-3", "gen-new")) {
            // the stored dated metrics: every date of both uploads, a date given twice holding the later upload's value
            Map<LocalDate, String> expectedHistory = new TreeMap<>(java.util.Comparator.reverseOrder());
            truth.get(id).getOrDefault("logins", new TreeMap<>()).forEach((date, v) -> expectedHistory.put(date, Long.toString(v.longValue())));
            Map<LocalDate, String> history = new TreeMap<>(java.util.Comparator.reverseOrder());
            Await.until("the metrics of " + id + " in the store", () -> {
                history.clear();
                for (JsonNode row : Http.json(reader.get("/v0/pipes/customer_metric_history.json?external_id=" + id + "&metric=logins")).get("data")) {
                    history.put(LocalDate.parse(row.get("metric_date").asText()), row.get("value").asText());
                }
                return history.equals(expectedHistory);
            });
            assertThat(history).as(id).isEqualTo(expectedHistory);
        }

        JsonNode healthy = Http.json(reader.get("/v0/pipes/customer_health.json?band=healthy&min_score=70&limit=1000")).get("data");
        long expectedHealthy = expected.values().stream().filter(v -> v != null && v >= 70).count();
        assertThat(healthy.size()).isEqualTo((int) expectedHealthy);
        double previous = 101;
        for (JsonNode row : healthy) {
            assertThat(row.get("score").asDouble()).isLessThanOrEqualTo(previous);
            previous = row.get("score").asDouble();
        }
    }

    // --- rescoring on a configuration change ---

    @Test
    void changingAMetricsWeightRescoresEveryCustomerOfThatWorkspaceAndNoOther() {
        Map<String, Map<String, TreeMap<LocalDate, Double>>> truth = new TreeMap<>();
        Map<String, Double> seats = new TreeMap<>();
        Random random = new Random(7);
        ArrayNode batch = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < 60; i++) {
            batch.add(customer("w-" + i, random, truth, seats, LocalDate.of(2024, 3, 1)));
        }
        Http adminA = configured("ws-weights-a");
        configured("ws-weights-b");
        uploadOk(uploadKey("ws-weights-a"), batch);
        uploadOk(uploadKey("ws-weights-b"), batch);
        Http readerA = running.issue("ws-weights-a", "/api/v0/none", "pipes:read", "analytics:read");
        Http readerB = running.issue("ws-weights-b", "/api/v0/none", "pipes:read", "analytics:read");
        Await.until("both workspaces scored", () -> Http.json(readerA.get("/api/v1/notifications")).path("total").asInt() == 1
                && Http.json(readerB.get("/api/v1/notifications")).path("total").asInt() == 1);
        Await.until("all scores stored", () -> rows(readerA).size() == 60 && rows(readerB).size() == 60);
        Map<String, JsonNode> before = rows(readerB);
        long recordsOfB = scoreRecords("ws-weights-b");

        ok(adminA.request("PUT", "/api/v1/scoring", scoringJson(9), "application/json"));
        Map<String, Double> expected = new TreeMap<>();
        truth.forEach((id, metrics) -> expected.put(id, expectedScore(metrics, seats.get(id), seats, 9)));
        Await.until("workspace A rescored with the new weight", () -> {
            Map<String, JsonNode> now = rows(readerA);
            return now.size() == 60 && now.values().stream().allMatch(r -> r.get("cause").asText().equals("settings"));
        });
        rows(readerA).forEach((id, row) -> {
            Double score = expected.get(id);
            if (score == null) {
                assertThat(row.get("score").isNull()).as(id).isTrue();
            } else {
                assertThat(row.get("score").asDouble()).as(id).isCloseTo(score, within(0.011));
            }
        });
        assertThat(rows(readerB)).as("workspace B untouched").isEqualTo(before);
        assertThat(scoreRecords("ws-weights-b")).as("no score record of workspace B was written").isEqualTo(recordsOfB);
    }

    // --- helpers ---

    private static boolean scoresMatch(Map<String, Double> expected, Map<String, Double> actual) {
        return expected.entrySet().stream().allMatch(e -> e.getValue() == null ? actual.get(e.getKey()) == null
                : actual.get(e.getKey()) != null && Math.abs(actual.get(e.getKey()) - e.getValue()) < 0.011);
    }

    private Map<String, JsonNode> rows(Http reader) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode row : Http.json(reader.get("/v0/pipes/customer_health.json?limit=1000")).get("data")) {
            out.put(row.get("external_id").asText(), row);
        }
        return out;
    }

    private long scoreRecords(String workspace) {
        var registry = HttpSchemaRegistryClient.builder(baseUrl() + TributaryNode.REGISTRY_PATH).bearerToken(TestNodes.ADMIN_TOKEN).build();
        return TopicContents.readAll(running.node().kafkaBootstrap(), Topics.HEALTH_SCORES, AvroDeserializer.specific(registry, HealthScore.class))
                .stream().filter(r -> r.key().startsWith(workspace + "|")).count();
    }

    /** One generated customer: up to 12 dated metric items from {@code from}, each with a random subset of the metrics; maybe seats. */
    private static ObjectNode customer(String id, Random random, Map<String, Map<String, TreeMap<LocalDate, Double>>> truth,
                                       Map<String, Double> seats, LocalDate from) {
        ObjectNode c = JsonNodeFactory.instance.objectNode().put("external_id", id).put("name", "Customer " + id);
        Map<String, TreeMap<LocalDate, Double>> metrics = truth.computeIfAbsent(id, k -> new HashMap<>());
        ArrayNode items = c.putArray("metrics");
        java.util.Set<LocalDate> dates = new java.util.TreeSet<>();
        int n = random.nextInt(13);
        while (dates.size() < n) {
            dates.add(from.plusDays(random.nextInt(120)));
        }
        for (LocalDate date : dates) {
            ObjectNode item = items.addObject().put("date", date.toString());
            if (random.nextInt(4) > 0) {
                int v = random.nextInt(120);
                item.put("logins", v);
                metrics.computeIfAbsent("logins", k -> new TreeMap<>()).put(date, (double) v);
            }
            if (random.nextInt(3) > 0) {
                double v = random.nextInt(300) / 10.0;
                item.put("tickets", v);
                metrics.computeIfAbsent("tickets", k -> new TreeMap<>()).put(date, v);
            }
            if (random.nextInt(3) == 0) {
                boolean v = random.nextBoolean();
                item.put("promoter", v);
                metrics.computeIfAbsent("promoter", k -> new TreeMap<>()).put(date, v ? 1.0 : 0.0);
            }
            if (random.nextInt(5) == 0) {
                item.put("plan", "gold"); // a string metric: stored, never scored
            }
        }
        if (random.nextInt(5) > 0) {
            int s = 1 + random.nextInt(60);
            c.putObject("attributes").put("seats", s).put("renewal_date", "2025-05-25");
            seats.put(id, (double) s);
        }
        return c;
    }

    /** The score by the documented arithmetic, written out again here: the test's own implementation, not the product's. */
    static Double expectedScore(Map<String, TreeMap<LocalDate, Double>> metrics, Double seats, Map<String, Double> allSeats) {
        return expectedScore(metrics, seats, allSeats, 3);
    }

    static Double expectedScore(Map<String, TreeMap<LocalDate, Double>> metrics, Double seats, Map<String, Double> allSeats, double loginWeight) {
        double weighted = 0;
        double weights = 0;
        TreeMap<LocalDate, Double> logins = metrics.get("logins");
        if (logins != null) {
            double v = logins.lastEntry().getValue();
            double[] t = {0, 10, 50, 100};
            double s = v <= 0 ? 0 : v >= 100 ? 100 : v < 10 ? 100 * (v / 10) / 3 : v < 50 ? 100 * (1 + (v - 10) / 40) / 3 : 100 * (2 + (v - 50) / 50) / 3;
            weighted += loginWeight * s;
            weights += loginWeight;
            assertThat(t).hasSize(4);
        }
        TreeMap<LocalDate, Double> tickets = metrics.get("tickets");
        if (tickets != null) {
            double v = tickets.lastEntry().getValue();
            double s = v <= 0 ? 0 : v >= 20 ? 100 : v < 5 ? 100 * (v / 5) / 2 : 100 * (1 + (v - 5) / 15) / 2;
            weighted += 2 * (100 - s); // lower is better
            weights += 2;
        }
        TreeMap<LocalDate, Double> promoter = metrics.get("promoter");
        if (promoter != null) {
            weighted += promoter.lastEntry().getValue() * 100;
            weights += 1;
        }
        if (seats != null) {
            long below = allSeats.values().stream().filter(v -> v < seats).count();
            long equal = allSeats.values().stream().filter(v -> v.equals(seats)).count();
            int n = allSeats.size();
            double s = n == 1 ? 50 : 100.0 * (below + (equal - 1) / 2.0) / (n - 1);
            weighted += 2 * s;
            weights += 2;
        }
        return weights == 0 ? null : Math.round(weighted / weights * 100) / 100.0;
    }

    private static String scoringJson(double loginWeight) {
        return """
                {"components": [
                  {"source": "metric", "codename": "logins", "weight": %s, "normalisation": "thresholds", "thresholds": [0, 10, 50, 100]},
                  {"source": "metric", "codename": "tickets", "weight": 2, "direction": "lower_is_better", "normalisation": "thresholds", "thresholds": [0, 5, 20]},
                  {"source": "metric", "codename": "promoter", "normalisation": "thresholds", "thresholds": [0, 1]},
                  {"source": "attribute", "codename": "seats", "weight": 2, "normalisation": "percentile"}],
                 "bands": [{"name": "healthy", "min_score": 70}, {"name": "at_risk", "min_score": 40}, {"name": "critical", "min_score": 0}]}"""
                .formatted(loginWeight);
    }

    /** A workspace with the generated data set's definitions and scoring (login weight 3); returns its admin client. */
    private Http configured(String workspace) {
        Http admin = admin(workspace);
        for (String[] m : new String[][] {{"logins", "number"}, {"tickets", "number"}, {"promoter", "boolean"}, {"plan", "string"}}) {
            ok(admin.request("PUT", "/api/v1/metrics/" + m[0], "{\"type\":\"" + m[1] + "\"}", "application/json"));
        }
        ok(admin.request("PUT", "/api/v1/attributes/seats", "{\"type\":\"number\"}", "application/json"));
        ok(admin.request("PUT", "/api/v1/scoring", scoringJson(3), "application/json"));
        return admin;
    }

    private Http admin(String workspace) {
        return running.issue(workspace, "/api/v1/settings", "admin");
    }

    private String uploadKey(String workspace) {
        String key = running.issueToken(workspace, "customers:upload");
        Await.until("the node to know the new key", () -> upload(key, "not json").statusCode() != 403);
        return key;
    }

    private String uploadOk(String key, ArrayNode customers) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("customers", customers);
        HttpResponse<String> r = upload(key, body.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Http.json(r).get("upload_id").asText();
    }

    private HttpResponse<String> upload(String key, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put(KEY, key);
        return running.operator().withToken(null).requestWithHeaders("POST", UPLOAD, body, headers);
    }

    private JsonNode awaitHealth(Http reader, String externalId) {
        Await.until("customer " + externalId + " to be scored", () -> reader.get("/api/v1/customers/" + externalId + "/health").statusCode() == 200);
        return Http.json(reader.get("/api/v1/customers/" + externalId + "/health"));
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + running.node().httpPort();
    }

    private static String metrics(int n) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add("{\"date\":\"" + LocalDate.of(2024, 1, 1).plusDays(i) + "\",\"logins\":" + i + "}");
        }
        return "[" + String.join(",", items) + "]";
    }

    private static void ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.request().method() + " " + r.uri() + ": " + r.body()).isEqualTo(200);
    }

    static Path seed004() throws java.io.IOException {
        return SeedCurlExamples.seed("004_").orElseThrow(() -> new AssertionError("../shared/seeds/004_* is missing"));
    }
}
