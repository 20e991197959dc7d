package io.tributary.deploy;

import static io.tributary.deploy.ApiAssertions.assertError;
import static io.tributary.deploy.ApiAssertions.fields;
import static io.tributary.deploy.ApiAssertions.ids;
import static io.tributary.deploy.ApiAssertions.quote;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.platform.config.Setting;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Seed 003's customer identity routes end to end on a real node (through Kafka, the sink and the
 * store, real HTTP): the revenue-tracking gate, scopes, create-or-upsert by externalId, ext_ ids,
 * DUPLICATE_EXTERNAL_ID, soft delete, list/search/sort/pagination and count. Both stores.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CustomersApiContract {
    private static final String JSON = "application/json";
    private static final String FORM = "application/x-www-form-urlencoded";

    private NodeWithTokens running;
    private Http operator;

    protected abstract Map<Setting, String> storeSettings() throws Exception;

    /** Superseded versions of the customers topic are compacted away within this (tests wait for it). */
    static final int PII_SCRUB_SECONDS = 5;

    @BeforeAll
    void startNode() throws Exception {
        Map<Setting, String> settings = new java.util.EnumMap<>(Setting.class);
        settings.putAll(storeSettings());
        settings.put(Setting.PII_SCRUB_SECONDS, Integer.toString(PII_SCRUB_SECONDS));
        settings.put(Setting.WAIT_TIMEOUT_MS, "3000"); // writes made while the store is down answer after this
        running = NodeWithTokens.start("tributary-customers-", settings);
        operator = running.operator();
    }

    protected NodeWithTokens running() {
        return running;
    }

    @AfterAll
    void stopNode() {
        if (running != null) {
            running.close();
        }
    }

    /** A token of a new workspace with {@code scopes}, the workspace entitled to revenue tracking when {@code entitled}. */
    private Http workspace(String workspace, boolean entitled, String... scopes) {
        Http http = running.issue(workspace, "/customers", scopes);
        if (entitled) {
            HttpResponse<String> grant = operator.request("PUT", "/v0/workspaces/" + workspace + "/entitlements/revenue-tracking", null, null);
            assertThat(grant.statusCode()).as(grant.body()).isEqualTo(200);
            assertThat(Http.json(grant).get("entitlements").toString()).isEqualTo("[\"revenue-tracking\"]");
        }
        return http;
    }

    protected Http fullAccess(String workspace) {
        return workspace(workspace, true, "links:read", "links:create", "links:update", "links:delete", "analytics:read",
                "events:append");
    }

    @Test
    void everyCustomersRouteNeedsTheRevenueTrackingEntitlementAndItsScope() {
        Http unentitled = workspace("ws-no-revenue", false, "links:read", "links:create", "links:update", "links:delete", "admin");
        for (String[] route : routes()) {
            HttpResponse<String> r = unentitled.request(route[0], route[1], route[2], route[2] == null ? null : JSON);
            assertError(r, 403, "FEATURE_NOT_ENABLED", route[0] + " " + route[1]);
        }
        Http unentitledAnalytics = workspace("ws-no-revenue-analytics", false, "analytics:read", "links:update");
        for (String analytics : List.of("/customers/AnyId0000000000/journey", "/customers/AnyId0000000000/attribution",
                "/customers/cohorts", "/customers/ltv-cohorts")) {
            assertError(unentitledAnalytics.get(analytics), 403, "FEATURE_NOT_ENABLED", analytics);
        }
        assertError(unentitledAnalytics.request("POST", "/customers/AnyId0000000000/recalculate-ltv", null, null), 403, "FEATURE_NOT_ENABLED",
                "recalculate-ltv");
        HttpResponse<String> selfGrant = unentitled.request("PUT", "/v0/workspaces/ws-no-revenue/entitlements/revenue-tracking", null, null);
        assertError(selfGrant, 403, "FORBIDDEN", "only the operator grants entitlements");
        assertError(operator.request("PUT", "/v0/workspaces/ws-no-revenue/entitlements/unlimited-everything", null, null),
                400, "INVALID_PARAMETER", "unknown entitlement");

        Http analyticsOnly = workspace("ws-analytics", true, "analytics:read");
        Http readOnly = workspace("ws-read", true, "links:read");
        for (String[] route : routes()) {
            HttpResponse<String> r = analyticsOnly.request(route[0], route[1], route[2], route[2] == null ? null : JSON);
            assertError(r, 403, "FORBIDDEN", route[0] + " " + route[1] + " without links:*");
            if (!route[0].equals("GET")) {
                assertError(readOnly.request(route[0], route[1], route[2], route[2] == null ? null : JSON), 403, "FORBIDDEN",
                        route[0] + " " + route[1] + " with links:read only");
            }
            assertError(operator.withToken(null).request(route[0], route[1], route[2], null), 401, "UNAUTHORIZED", "no token");
        }
        assertThat(readOnly.get("/customers").statusCode()).isEqualTo(200);

        HttpResponse<String> revoke = operator.request("DELETE", "/v0/workspaces/ws-read/entitlements/revenue-tracking", null, null);
        assertThat(Http.json(revoke).get("entitlements")).isEmpty();
        Await.until("the revocation to reach the routes", () -> readOnly.get("/customers").statusCode() == 403);
    }

    private static List<String[]> routes() {
        return List.of(
                new String[] {"GET", "/customers", null},
                new String[] {"GET", "/customers/count", null},
                new String[] {"GET", "/customers/AnyId0000000000", null},
                new String[] {"POST", "/customers", "{\"externalId\":\"u-1\"}"},
                new String[] {"PATCH", "/customers/AnyId0000000000", "{\"name\":\"x\"}"},
                new String[] {"DELETE", "/customers/AnyId0000000000", null});
    }

    @Test
    void createOrUpsertByExternalIdThenReadByIdOrExtPrefix() {
        Http http = fullAccess("ws-upsert");
        HttpResponse<String> created = http.request("POST", "/customers", "{\"externalId\":\"user-42\",\"email\":\"ada@example.com\","
                + "\"name\":\"Ada\",\"clickId\":\"clk_1\",\"attributes\":{\"plan\":\"pro\",\"phone\":\"+44 20\"},\"piiAttributes\":[\"phone\"]}", JSON);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode ada = Http.json(created);
        String id = ada.get("id").asText();
        assertThat(id).matches("[A-Za-z0-9]{16}");
        assertThat(created.headers().firstValue("Location")).hasValue("/customers/" + id);
        assertThat(ada.fieldNames()).toIterable().containsExactly("id", "externalId", "email", "name", "avatar", "clickId", "attributes",
                "piiAttributes", "createdAt", "updatedAt");
        assertThat(ada.get("attributes").toString()).isEqualTo("{\"phone\":\"+44 20\",\"plan\":\"pro\"}");

        assertThat(Http.json(http.get("/customers/" + id))).as("read your write").isEqualTo(ada);
        assertThat(Http.json(http.get("/customers/ext_user-42"))).as("by externalId").isEqualTo(ada);

        HttpResponse<String> upserted = http.request("POST", "/customers", "externalId=user-42&name=Ada+Lovelace&attributes[plan]=team&attributes[phone]=", FORM);
        assertThat(upserted.statusCode()).as("the same externalId updates: " + upserted.body()).isEqualTo(200);
        JsonNode lovelace = Http.json(upserted);
        assertThat(lovelace.get("id").asText()).isEqualTo(id);
        assertThat(lovelace.get("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(lovelace.get("email").asText()).as("fields not sent stay").isEqualTo("ada@example.com");
        assertThat(lovelace.get("attributes").toString()).as("attributes merge; an empty value removes").isEqualTo("{\"plan\":\"team\"}");
        assertThat(lovelace.get("createdAt")).isEqualTo(ada.get("createdAt"));
        assertThat(Http.json(http.get("/customers/" + id))).isEqualTo(lovelace);
        assertThat(Http.json(http.get("/customers/count")).get("count").asLong()).isEqualTo(1);
    }

    @Test
    void patchRefusesAnotherCustomersExternalIdAndUnknownIdsAreNotFound() {
        Http http = fullAccess("ws-patch");
        String first = create(http, "ext-a", "a@example.com", "A");
        create(http, "ext-b", "b@example.com", "B");
        JsonNode conflict = assertError(http.request("PATCH", "/customers/" + first, "{\"externalId\":\"ext-b\"}", JSON),
                409, "DUPLICATE_EXTERNAL_ID", "taken externalId");
        assertThat(conflict.get("details").get(0).get("field").asText()).isEqualTo("externalId");
        assertThat(Http.json(http.get("/customers/" + first)).get("externalId").asText()).isEqualTo("ext-a");

        HttpResponse<String> renamed = http.request("PATCH", "/customers/ext_ext-a", "{\"externalId\":\"ext-c\",\"email\":\"\"}", JSON);
        assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
        assertThat(Http.json(renamed).get("email").isNull()).as("an empty string clears").isTrue();
        assertThat(http.get("/customers/ext_ext-c").statusCode()).isEqualTo(200);
        assertThat(http.get("/customers/ext_ext-a").statusCode()).isEqualTo(404);

        for (String[] route : List.of(new String[] {"GET", null}, new String[] {"PATCH", "{\"name\":\"x\"}"}, new String[] {"DELETE", null})) {
            assertError(http.request(route[0], "/customers/NoSuchCustomer00", route[1], route[1] == null ? null : JSON), 404, "NOT_FOUND", route[0]);
            assertError(http.request(route[0], "/customers/ext_nobody", route[1], route[1] == null ? null : JSON), 404, "NOT_FOUND", route[0] + " ext_");
        }
        Http other = fullAccess("ws-patch-other");
        assertError(other.get("/customers/" + first), 404, "NOT_FOUND", "another workspace's customer");
        assertError(other.request("DELETE", "/customers/" + first, null, null), 404, "NOT_FOUND", "another workspace's customer");
    }

    @Test
    void badBodiesAreRefusedNamingTheField() {
        Http http = fullAccess("ws-bodies");
        assertThat(fields(assertError(http.request("POST", "/customers", "{\"email\":\"a@example.com\"}", JSON), 400, "BAD_REQUEST", "no externalId")))
                .containsExactly("externalId");
        assertThat(fields(assertError(http.request("POST", "/customers", "{\"externalId\":\"x\",\"email\":\"not-an-email\"}", JSON), 400,
                "BAD_REQUEST", "bad email"))).containsExactly("email");
        assertThat(fields(assertError(http.request("POST", "/customers", "{\"externalId\":\"x\",\"plan\":\"pro\"}", JSON), 400,
                "BAD_REQUEST", "unknown field"))).containsExactly("plan");
        assertThat(fields(assertError(http.request("POST", "/customers", "{\"externalId\":\"x\",\"attributes\":{\"a\":{\"b\":1}}}", JSON), 400,
                "BAD_REQUEST", "nested attribute"))).containsExactly("attributes.a");
        assertError(http.request("POST", "/customers", "{\"externalId\":", JSON), 400, "BAD_REQUEST", "malformed JSON");
        String id = create(http, "ok", null, null);
        assertError(http.request("PATCH", "/customers/" + id, "{}", JSON), 400, "BAD_REQUEST", "nothing to update");
        assertThat(fields(assertError(http.request("PATCH", "/customers/" + id, "{\"externalId\":\"\"}", JSON), 400, "BAD_REQUEST",
                "blank externalId"))).containsExactly("externalId");
    }

    @Test
    void deleteIsSoftLeavesListAndCountAndALaterUpsertCreatesAFreshCustomer() {
        Http http = fullAccess("ws-delete");
        String gone = create(http, "leaver", "leaver@example.com", "Lee Ver");
        create(http, "stayer", "stayer@example.com", "Stay Er");
        HttpResponse<String> deleted = http.request("DELETE", "/customers/" + gone, null, null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(Http.json(deleted).get("deleted").asBoolean()).isTrue();

        assertError(http.get("/customers/" + gone), 404, "NOT_FOUND", "a deleted customer");
        assertError(http.get("/customers/ext_leaver"), 404, "NOT_FOUND", "a deleted customer by externalId");
        assertError(http.request("DELETE", "/customers/" + gone, null, null), 404, "NOT_FOUND", "deleting twice");
        assertThat(Http.json(http.get("/customers/count")).get("count").asLong()).isEqualTo(1);
        String everything = http.get("/customers?limit=100").body() + http.get("/customers?search=lee").body();
        assertThat(everything).doesNotContain("leaver@example.com").doesNotContain("Lee Ver");

        HttpResponse<String> again = http.request("POST", "/customers", "{\"externalId\":\"leaver\"}", JSON);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
        assertThat(Http.json(again).get("id").asText()).isNotEqualTo(gone);
        assertThat(Http.json(again).get("email").isNull()).as("nothing of the deleted customer comes back").isTrue();
    }

    @Test
    void listsPageSortAndSearch() {
        Http http = fullAccess("ws-list");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            created.add(create(http, "user-" + i, "user" + i + (i % 5 == 0 ? "@vip.example" : "@example.com"), "Name " + i));
        }
        Set<String> seen = new HashSet<>();
        List<Boolean> hasMore = new ArrayList<>();
        for (int page = 1; page <= 3; page++) {
            JsonNode body = Http.json(http.get("/customers?limit=10&page=" + page));
            assertThat(body.get("total").asLong()).isEqualTo(25);
            assertThat(body.get("page").asInt()).isEqualTo(page);
            body.get("data").forEach(c -> assertThat(seen.add(c.get("id").asText())).as("no duplicates").isTrue());
            hasMore.add(body.get("hasMore").asBoolean());
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(created);
        assertThat(hasMore).containsExactly(true, true, false);
        assertThat(Http.json(http.get("/customers")).get("data")).as("default limit 20").hasSize(20);

        List<String> desc = ids(http.get("/customers?limit=100"));
        List<String> asc = ids(http.get("/customers?limit=100&sortOrder=asc"));
        List<String> reversed = new ArrayList<>(desc);
        java.util.Collections.reverse(reversed);
        assertThat(asc).isEqualTo(reversed);

        assertThat(ids(http.get("/customers?search=VIP.example&limit=100"))).as("case-insensitive, over email")
                .containsExactlyInAnyOrder(created.get(0), created.get(5), created.get(10), created.get(15), created.get(20));
        assertThat(ids(http.get("/customers?search=user-7"))).as("over externalId").containsExactly(created.get(7));
        assertThat(ids(http.get("/customers?search=name%2012"))).as("over name").containsExactly(created.get(12));
        assertThat(ids(http.get("/customers?search=%25"))).as("% is plain text").isEmpty();
        assertThat(Http.json(http.get("/customers/count?search=vip")).get("count").asLong()).isEqualTo(5);

        for (String bad : List.of("limit=0", "limit=101", "limit=abc", "page=0", "page=x", "sortOrder=up", "colour=red")) {
            assertError(http.get("/customers?" + bad), 400, "INVALID_PARAMETER", bad);
        }
    }

    @Test
    void journeyAndAttributionFollowTheCustomersExternalIdEmailAndClickId() {
        Http http = fullAccess("ws-journey");
        String id = create(http, "buyer-1", "buyer@example.com", "Bea");
        assertThat(http.request("PATCH", "/customers/" + id, "{\"clickId\":\"clk-9\"}", JSON).statusCode()).isEqualTo(200);
        // by externalId, by email (another customer_id: e.g. before signup), by click id; one unrelated; one replayed
        events(http, "{\"event_id\":\"j-3\",\"customer_id\":\"buyer-1\",\"event_type\":\"purchase\",\"event_timestamp\":\"2024-03-03 10:00:00\","
                + "\"price\":\"19.90\",\"quantity\":2,\"utm_source\":\"google\",\"utm_campaign\":\"spring\",\"utm_medium\":\"cpc\"}",
                "{\"event_id\":\"j-1\",\"customer_id\":\"anon-77\",\"event_type\":\"page_view\",\"event_timestamp\":\"2024-03-01 09:00:00\","
                + "\"email\":\"buyer@example.com\",\"click_id\":\"clk-1\",\"link_id\":\"lnk-newsletter\",\"utm_source\":\"newsletter\"}",
                "{\"event_id\":\"j-2\",\"customer_id\":\"anon-78\",\"event_type\":\"add_to_cart\",\"event_timestamp\":\"2024-03-02 09:00:00\","
                + "\"click_id\":\"clk-9\"}",
                "{\"event_id\":\"j-x\",\"customer_id\":\"someone-else\",\"event_type\":\"purchase\",\"event_timestamp\":\"2024-03-02 12:00:00\","
                + "\"utm_source\":\"bing\"}",
                "{\"event_id\":\"j-3\",\"customer_id\":\"buyer-1\",\"event_type\":\"purchase\",\"event_timestamp\":\"2024-03-03 10:00:00\"}");

        JsonNode journey = Http.json(http.get("/customers/" + id + "/journey"));
        assertThat(journey.get("total").asLong()).isEqualTo(3);
        List<String> order = new ArrayList<>();
        journey.get("data").forEach(e -> order.add(e.get("eventId").asText()));
        assertThat(order).as("time order, one copy of the replayed event").containsExactly("j-1", "j-2", "j-3");
        JsonNode purchase = journey.get("data").get(2);
        assertThat(purchase.get("timestamp").asText()).isEqualTo("2024-03-03T10:00:00Z");
        assertThat(purchase.get("price").asText()).isEqualTo("19.9");
        assertThat(purchase.get("utmCampaign").asText()).isEqualTo("spring");

        JsonNode page2 = Http.json(http.get("/customers/ext_buyer-1/journey?limit=2&page=2"));
        assertThat(page2.get("data")).hasSize(1);
        assertThat(page2.get("data").get(0).get("eventId").asText()).isEqualTo("j-3");
        assertThat(page2.get("hasMore").asBoolean()).isFalse();
        assertThat(Http.json(http.get("/customers/" + id + "/journey?limit=2")).get("hasMore").asBoolean()).isTrue();

        JsonNode attribution = Http.json(http.get("/customers/" + id + "/attribution"));
        assertThat(attribution.get("touches").asLong()).isEqualTo(3);
        assertThat(attribution.get("firstTouch").get("eventId").asText()).isEqualTo("j-1");
        assertThat(attribution.get("firstTouch").get("clickId").asText()).isEqualTo("clk-1");
        assertThat(attribution.get("firstTouch").get("linkId").asText()).isEqualTo("lnk-newsletter");
        assertThat(attribution.get("firstTouch").get("source").asText()).isEqualTo("newsletter");
        assertThat(attribution.get("firstTouch").get("timestamp").asText()).isEqualTo("2024-03-01T09:00:00Z");
        assertThat(attribution.get("lastTouch").get("eventId").asText()).isEqualTo("j-3");
        assertThat(attribution.get("lastTouch").get("campaign").asText()).isEqualTo("spring");
        assertThat(attribution.get("lastTouch").get("medium").asText()).isEqualTo("cpc");

        String quiet = create(http, "no-events", null, null);
        JsonNode none = Http.json(http.get("/customers/" + quiet + "/attribution"));
        assertThat(none.get("firstTouch").isNull()).isTrue();
        assertThat(none.get("touches").asLong()).isZero();
        assertThat(Http.json(http.get("/customers/" + quiet + "/journey")).get("data")).isEmpty();

        Http linksOnly = workspace("ws-journey-links", true, "links:read");
        for (String route : List.of("/journey", "/attribution")) {
            assertError(linksOnly.get("/customers/" + id + route), 403, "FORBIDDEN", route + " needs analytics:read");
            assertError(http.get("/customers/NoSuchCustomer00" + route), 404, "NOT_FOUND", route + " of nobody");
        }
        for (String analytics : List.of("/customers/cohorts", "/customers/ltv-cohorts")) {
            assertError(linksOnly.get(analytics), 403, "FORBIDDEN", analytics + " needs analytics:read");
        }
        assertError(http.get("/customers/" + id + "/journey?limit=0"), 400, "INVALID_PARAMETER", "journey limit");
        assertThat(http.request("DELETE", "/customers/" + id, null, null).statusCode()).isEqualTo(200);
        assertError(http.get("/customers/" + id + "/journey"), 404, "NOT_FOUND", "journey of a deleted customer");
    }

    @Test
    void journeyAndAttributionAreServedFromSnapshotsUntilTheCustomerChanges() {
        Http http = fullAccess("ws-snapshots");
        String id = create(http, "snap-1", "snap@example.com", null);
        events(http, "{\"event_id\":\"s-1\",\"customer_id\":\"snap-1\",\"event_type\":\"page_view\",\"event_timestamp\":\"2024-05-01 08:00:00\","
                + "\"utm_source\":\"ads\"}");
        for (String route : List.of("/journey", "/attribution")) {
            HttpResponse<String> first = http.get("/customers/" + id + route);
            assertThat(first.headers().firstValue("X-Cache")).as(route).hasValue("MISS");
            HttpResponse<String> second = http.get("/customers/" + id + route);
            assertThat(second.headers().firstValue("X-Cache")).as(route).hasValue("HIT");
            assertThat(second.headers().firstValue("Age").map(Long::parseLong)).hasValueSatisfying(age -> assertThat(age).isBetween(0L, 30L));
            assertThat(second.body()).isEqualTo(first.body());
        }
        // an event does not touch the customer: the snapshot still answers (until its TTL)
        events(http, "{\"event_id\":\"s-2\",\"customer_id\":\"snap-1\",\"event_type\":\"purchase\",\"event_timestamp\":\"2024-05-02 08:00:00\"}");
        HttpResponse<String> stale = http.get("/customers/" + id + "/journey");
        assertThat(stale.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(Http.json(stale).get("total").asLong()).isEqualTo(1);
        // a write to the customer does, even within the same second
        assertThat(http.request("PATCH", "/customers/" + id, "{\"name\":\"Snap\"}", JSON).statusCode()).isEqualTo(200);
        HttpResponse<String> fresh = http.get("/customers/" + id + "/journey");
        assertThat(fresh.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(Http.json(fresh).get("total").asLong()).isEqualTo(2);
        assertThat(http.get("/customers/" + id + "/attribution").headers().firstValue("X-Cache")).hasValue("MISS");
    }

    @Test
    void aDeleteScrubsThePiiFromEveryAnswerTheStoreAndTheCompactedTopicAndKeepsTheRevenue() throws Exception {
        Http http = fullAccess("ws-pii");
        String secretEmail = "pii-person@example.com";
        String secretName = "Priscilla Pii";
        String secretPhone = "+44 20 7946 0958";
        HttpResponse<String> created = http.request("POST", "/customers", "{\"externalId\":\"pii-1\",\"email\":" + quote(secretEmail)
                + ",\"name\":" + quote(secretName) + ",\"avatar\":\"https://img.example.com/pp.png\",\"clickId\":\"clk-pii\","
                + "\"attributes\":{\"phone\":" + quote(secretPhone) + ",\"plan\":\"pro\"},\"piiAttributes\":[\"phone\"]}", JSON);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = Http.json(created).get("id").asText();
        events(http, "{\"event_id\":\"pii-e1\",\"customer_id\":\"pii-1\",\"event_type\":\"purchase\",\"event_timestamp\":\"2024-06-01 10:00:00\",\"price\":\"40.00\",\"quantity\":2}",
                "{\"event_id\":\"pii-e2\",\"customer_id\":\"anon-9\",\"event_type\":\"purchase\",\"event_timestamp\":\"2024-06-02 10:00:00\",\"price\":\"15.50\",\"click_id\":\"clk-pii\"}");
        String revenueBefore = Http.json(http.get("/customers/cohorts?group_by=month")).get("cohorts").toString();
        assertThat(revenueBefore).contains("\"revenue\":\"95.5\"");

        assertThat(http.request("DELETE", "/customers/" + id, null, null).statusCode()).isEqualTo(200);

        List<String> secrets = List.of(secretEmail, secretName, secretPhone, "pp.png");
        String answers = String.join("\n", http.get("/customers?limit=100").body(), http.get("/customers?search=pii").body(),
                http.get("/customers?search=priscilla").body(), http.get("/customers/count").body(), http.get("/customers/" + id).body(),
                http.get("/customers/ext_pii-1").body(), http.get("/customers/" + id + "/journey").body(),
                http.get("/customers/" + id + "/attribution").body(), http.get("/customers/cohorts?group_by=source").body(),
                http.get("/customers/ltv-cohorts").body());
        secrets.forEach(secret -> assertThat(answers).as("no API answer shows " + secret).doesNotContain(secret));
        assertThat(Http.json(http.get("/customers/cohorts?group_by=month")).get("cohorts").toString())
                .as("the deleted customer's revenue stays").isEqualTo(revenueBefore);

        // the store: every stored version of the customer, read without FINAL (ClickHouse deletes older versions by mutation)
        io.tributary.platform.store.AnalyticsStore store = running.node().store().orElseThrow();
        Await.until("no stored version of the customer to hold its PII", () -> {
            String stored = store.query(io.tributary.platform.store.BoundQuery.of("SELECT email, name, avatar, attributes_values FROM customers"
                    + " WHERE workspace_id = ? AND id = ?", io.tributary.platform.store.QueryParam.string("ws-pii"),
                    io.tributary.platform.store.QueryParam.string(id))).rows().toString();
            return secrets.stream().noneMatch(stored::contains) && stored.contains("pro");
        });

        // the topic: the versions the delete superseded are compacted away once their segment rolls, which a later
        // write to the same partition does after --pii-scrub-seconds
        String key = io.tributary.schemas.Topics.key("ws-pii", id);
        int partitions = 3;
        int partition = partitionOf(key, partitions);
        Thread.sleep((PII_SCRUB_SECONDS + 1) * 1000L);
        for (int i = 0; i < 60; i++) {
            String other = create(http, "pii-roll-" + i, null, null);
            if (partitionOf(io.tributary.schemas.Topics.key("ws-pii", other), partitions) == partition) {
                break;
            }
        }
        io.tributary.schemas.registry.HttpSchemaRegistryClient registry = io.tributary.schemas.registry.HttpSchemaRegistryClient.builder(
                "http://127.0.0.1:" + running.node().httpPort() + TributaryNode.REGISTRY_PATH).bearerToken(TestNodes.ADMIN_TOKEN).build();
        long deadline = System.currentTimeMillis() + 90_000;
        while (true) {
            List<String> versions = TopicContents.readAll(running.node().kafkaBootstrap(), io.tributary.schemas.Topics.CUSTOMERS,
                            io.tributary.schemas.serde.AvroDeserializer.specific(registry, io.tributary.schemas.avro.Customer.class)).stream()
                    .filter(r -> r.key().equals(key)).map(r -> String.valueOf(r.value())).toList();
            if (versions.size() == 1 && secrets.stream().noneMatch(versions.get(0)::contains)) {
                assertThat(versions.get(0)).contains("deleted_at").contains("pii-1");
                break;
            }
            assertThat(System.currentTimeMillis()).as("the topic still holds " + versions.size() + " versions: " + versions).isLessThan(deadline);
            Thread.sleep(1000);
        }
    }

    /** Kafka's default partitioner for a keyed record: murmur2 of the key bytes. */
    private static int partitionOf(String key, int partitions) {
        return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                key.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions;
    }

    /** A generated customer and event of the cohort test, kept to compute every cell independently. */
    private record GenCustomer(String externalId, String email, String clickId, java.time.LocalDate signup) {
    }

    private record GenEvent(String id, String customerId, String email, String clickId, String type, String timestamp,
                            java.math.BigDecimal price, Integer quantity, String source, String campaign) {
        boolean touch() {
            return clickId != null || source != null || campaign != null;
        }
    }

    @Test
    void cohortsMatchValuesComputedIndependentlyForEveryGroupingAndPeriod() {
        Http http = fullAccess("ws-cohorts");
        java.util.Random random = new java.util.Random(20261202);
        List<GenCustomer> customers = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            GenCustomer c = new GenCustomer("co-" + i, i % 3 == 0 ? "co" + i + "@example.com" : null, i % 4 == 0 ? "clk-co-" + i : null,
                    java.time.LocalDate.of(2024, 1, 1).plusDays(random.nextInt(80)));
            customers.add(c);
            StringBuilder body = new StringBuilder("{\"externalId\":" + quote(c.externalId()) + ",\"createdAt\":\"" + c.signup() + "\"");
            if (c.email() != null) {
                body.append(",\"email\":").append(quote(c.email()));
            }
            if (c.clickId() != null) {
                body.append(",\"clickId\":").append(quote(c.clickId()));
            }
            HttpResponse<String> r = http.request("POST", "/customers", body.append('}').toString(), JSON);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            assertThat(Http.json(r).get("createdAt").asText()).isEqualTo(c.signup() + "T00:00:00Z");
            ids.add(Http.json(r).get("id").asText());
        }
        List<GenEvent> events = new ArrayList<>();
        String[] sources = {"google", "newsletter", null};
        String[] campaigns = {"spring", "summer", null};
        for (int n = 0; n < 160; n++) {
            GenCustomer c = customers.get(random.nextInt(customers.size()));
            int how = random.nextInt(4); // by externalId, by email, by click id, or someone else's
            String customerId = how == 0 || (how == 1 && c.email() == null) || (how == 2 && c.clickId() == null) ? c.externalId()
                    : how == 3 ? "stranger-" + n : "anon-" + n;
            String email = how == 1 ? c.email() : null;
            String clickId = how == 2 ? c.clickId() : random.nextInt(5) == 0 ? "clk-other-" + n : null;
            boolean purchase = random.nextInt(3) == 0;
            events.add(new GenEvent("ce-" + n, customerId, email, clickId, purchase ? "purchase" : "page_view",
                    String.format("2024-04-%02d %02d:%02d:00", 1 + random.nextInt(28), random.nextInt(24), random.nextInt(60)),
                    purchase ? java.math.BigDecimal.valueOf(100 + random.nextInt(9900), 2) : null,
                    purchase && random.nextBoolean() ? 1 + random.nextInt(3) : null,
                    sources[random.nextInt(3)], campaigns[random.nextInt(3)]));
        }
        List<String> rows = new ArrayList<>();
        for (GenEvent e : events) {
            StringBuilder row = new StringBuilder("{\"event_id\":" + quote(e.id()) + ",\"customer_id\":" + quote(e.customerId())
                    + ",\"event_type\":" + quote(e.type()) + ",\"event_timestamp\":" + quote(e.timestamp()));
            if (e.email() != null) row.append(",\"email\":").append(quote(e.email()));
            if (e.clickId() != null) row.append(",\"click_id\":").append(quote(e.clickId()));
            if (e.price() != null) row.append(",\"price\":\"").append(e.price().toPlainString()).append('"');
            if (e.quantity() != null) row.append(",\"quantity\":").append(e.quantity());
            if (e.source() != null) row.append(",\"utm_source\":").append(quote(e.source()));
            if (e.campaign() != null) row.append(",\"utm_campaign\":").append(quote(e.campaign()));
            rows.add(row.append('}').toString());
        }
        rows.add(rows.get(0)); // a replay counts once
        events(http, rows.toArray(String[]::new));
        // a soft-deleted customer keeps counting, its email-linked events too (through the hash the delete keeps)
        int leaver = java.util.stream.IntStream.range(0, customers.size()).filter(i -> customers.get(i).email() != null
                && events.stream().anyMatch(e -> customers.get(i).email().equals(e.email()) && e.type().equals("purchase"))).findFirst().orElseThrow();
        assertThat(http.request("DELETE", "/customers/" + ids.get(leaver), null, null).statusCode()).isEqualTo(200);

        for (String groupBy : List.of("week", "month", "campaign", "source")) {
            for (String[] period : List.of(new String[] {null, null}, new String[] {"2024-01-15", "2024-02-29"})) {
                String url = "/customers/cohorts?group_by=" + groupBy + (period[0] == null ? "" : "&start=" + period[0] + "&end=" + period[1]);
                JsonNode actual = Http.json(http.get(url));
                assertThat(actual.get("groupBy").asText()).isEqualTo(groupBy);
                assertThat(actual.get("cohorts").toString()).as(url)
                        .isEqualTo(Http.JSON.valueToTree(expectedCohorts(customers, events, groupBy, period)).toString());
            }
        }
        for (int months : List.of(2, 12)) {
            JsonNode ltv = Http.json(http.get("/customers/ltv-cohorts" + (months == 12 ? "" : "?months=" + months)));
            assertThat(ltv.get("months").asInt()).isEqualTo(months);
            assertThat(ltv.get("cohorts").toString()).as("ltv-cohorts months=" + months)
                    .isEqualTo(Http.JSON.valueToTree(expectedLtv(customers, events, months)).toString());
        }
        for (String bad : List.of("months=37", "months=-1", "months=x", "group_by=month")) {
            assertError(http.get("/customers/ltv-cohorts?" + bad), 400, "INVALID_PARAMETER", "ltv-cohorts " + bad);
        }
        for (int i : java.util.stream.IntStream.range(0, 8).filter(i -> i != leaver).boxed().toList()) {
            GenCustomer c = customers.get(i);
            List<GenEvent> bought = events.stream().filter(e -> e.type().equals("purchase")).filter(e -> e.customerId().equals(c.externalId())
                    || (c.email() != null && c.email().equals(e.email())) || (c.clickId() != null && c.clickId().equals(e.clickId()))).toList();
            java.math.BigDecimal ltv = bought.stream().map(e -> e.price().multiply(java.math.BigDecimal.valueOf(e.quantity() == null ? 1 : e.quantity())))
                    .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add);
            HttpResponse<String> r = http.request("POST", "/customers/ext_" + c.externalId() + "/recalculate-ltv", null, null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(Http.json(r).get("ltv").asText()).as(c.externalId()).isEqualTo(ltv.signum() == 0 ? "0" : ltv.stripTrailingZeros().toPlainString());
            assertThat(Http.json(r).get("purchases").asLong()).isEqualTo(bought.size());
        }
        assertError(workspace("ws-cohorts-read", true, "links:read", "analytics:read").request("POST",
                "/customers/" + ids.get(1) + "/recalculate-ltv", null, null), 403, "FORBIDDEN", "recalculate-ltv needs links:update");
        assertError(http.request("POST", "/customers/NoSuchCustomer00/recalculate-ltv", null, null), 404, "NOT_FOUND", "recalculate unknown");
        assertError(http.get("/customers/cohorts?group_by=year"), 400, "INVALID_PARAMETER", "invalid group_by");
        assertError(http.get("/customers/cohorts?start=yesterday"), 400, "INVALID_PARAMETER", "invalid start");
        assertError(http.get("/customers/cohorts?start=2024-02-01&end=2024-01-01"), 400, "INVALID_PARAMETER", "end before start");
        HttpResponse<String> again = http.get("/customers/cohorts?group_by=week");
        assertThat(again.headers().firstValue("X-Cache")).hasValue("HIT");
    }

    /** Cumulative revenue per customer at month 0..months after the signup month, per signup month. */
    private static List<Map<String, Object>> expectedLtv(List<GenCustomer> customers, List<GenEvent> events, int months) {
        java.util.TreeMap<String, java.math.BigDecimal[]> revenue = new java.util.TreeMap<>();
        java.util.Map<String, Long> sizes = new java.util.HashMap<>();
        for (GenCustomer c : customers) {
            String cohort = c.signup().toString().substring(0, 7);
            sizes.merge(cohort, 1L, Long::sum);
            java.math.BigDecimal[] byMonth = revenue.computeIfAbsent(cohort, k -> {
                java.math.BigDecimal[] zeros = new java.math.BigDecimal[months + 1];
                java.util.Arrays.fill(zeros, java.math.BigDecimal.ZERO);
                return zeros;
            });
            events.stream().filter(e -> e.type().equals("purchase")).filter(e -> e.customerId().equals(c.externalId())
                    || (c.email() != null && c.email().equals(e.email())) || (c.clickId() != null && c.clickId().equals(e.clickId())))
                    .forEach(e -> {
                        java.time.LocalDate day = java.time.LocalDate.parse(e.timestamp().substring(0, 10));
                        int idx = Math.max(0, (day.getYear() * 12 + day.getMonthValue()) - (c.signup().getYear() * 12 + c.signup().getMonthValue()));
                        if (idx <= months) {
                            byMonth[idx] = byMonth[idx].add(e.price().multiply(java.math.BigDecimal.valueOf(e.quantity() == null ? 1 : e.quantity())));
                        }
                    });
        }
        List<Map<String, Object>> out = new ArrayList<>();
        revenue.forEach((cohort, byMonth) -> {
            List<String> ltv = new ArrayList<>();
            java.math.BigDecimal cumulative = java.math.BigDecimal.ZERO;
            for (java.math.BigDecimal r : byMonth) {
                cumulative = cumulative.add(r);
                java.math.BigDecimal perCustomer = cumulative.divide(java.math.BigDecimal.valueOf(sizes.get(cohort)), 2, java.math.RoundingMode.HALF_UP);
                ltv.add(perCustomer.signum() == 0 ? "0" : perCustomer.stripTrailingZeros().toPlainString());
            }
            Map<String, Object> row = new java.util.LinkedHashMap<>();
            row.put("cohort", cohort);
            row.put("customers", sizes.get(cohort));
            row.put("ltv", ltv);
            out.add(row);
        });
        return out;
    }

    /** Every cohort cell computed from the generated data, the way seed 003 describes it. */
    private static List<Map<String, Object>> expectedCohorts(List<GenCustomer> customers, List<GenEvent> events, String groupBy, String[] period) {
        java.util.TreeMap<String, long[]> counts = new java.util.TreeMap<>();
        java.util.Map<String, java.math.BigDecimal> revenue = new java.util.HashMap<>();
        for (GenCustomer c : customers) {
            if (period[0] != null && (c.signup().isBefore(java.time.LocalDate.parse(period[0])) || c.signup().isAfter(java.time.LocalDate.parse(period[1])))) {
                continue;
            }
            List<GenEvent> linked = events.stream().filter(e -> e.customerId().equals(c.externalId())
                    || (c.email() != null && c.email().equals(e.email())) || (c.clickId() != null && c.clickId().equals(e.clickId()))).toList();
            List<GenEvent> purchases = linked.stream().filter(e -> e.type().equals("purchase")).toList();
            GenEvent first = linked.stream().filter(GenEvent::touch)
                    .min(java.util.Comparator.comparing((GenEvent e) -> e.timestamp()).thenComparing(GenEvent::id)).orElse(null);
            String key = switch (groupBy) {
                case "week" -> c.signup().with(java.time.temporal.TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY)).toString();
                case "month" -> c.signup().toString().substring(0, 7);
                case "campaign" -> first == null || first.campaign() == null ? "(none)" : first.campaign();
                default -> first == null || first.source() == null ? "(none)" : first.source();
            };
            long[] cell = counts.computeIfAbsent(key, k -> new long[2]);
            cell[0]++;
            cell[1] += purchases.isEmpty() ? 0 : 1;
            revenue.merge(key, purchases.stream().map(e -> e.price().multiply(java.math.BigDecimal.valueOf(e.quantity() == null ? 1 : e.quantity())))
                    .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add), java.math.BigDecimal::add);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        counts.forEach((key, cell) -> {
            Map<String, Object> row = new java.util.LinkedHashMap<>();
            row.put("cohort", key);
            row.put("customers", cell[0]);
            row.put("convertingCustomers", cell[1]);
            java.math.BigDecimal amount = revenue.get(key);
            row.put("revenue", amount.signum() == 0 ? "0" : amount.stripTrailingZeros().toPlainString());
            out.add(row);
        });
        return out;
    }

    protected void events(Http http, String... rows) {
        HttpResponse<String> r = http.post("/v0/events?name=customer_events&wait=true", String.join("\n", rows));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    // ---- helpers ----

    protected static String create(Http http, String externalId, String email, String name) {
        StringBuilder body = new StringBuilder("{\"externalId\":" + quote(externalId));
        if (email != null) {
            body.append(",\"email\":").append(quote(email));
        }
        if (name != null) {
            body.append(",\"name\":").append(quote(name));
        }
        HttpResponse<String> r = http.request("POST", "/customers", body.append('}').toString(), JSON);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Http.json(r).get("id").asText();
    }
}
