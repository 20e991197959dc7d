package io.tributary.deploy;

import io.tributary.platform.config.Setting;
import io.tributary.platform.testing.ClickHouseExtension;
import io.tributary.platform.testing.ClickHouseServer;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/** Seed 003 customer identity routes with a real clickhouse-server process as the store. */
class CustomersApiClickHouseIT extends CustomersApiContract {
    @RegisterExtension
    static final TestInstancePostProcessor CLICKHOUSE = (instance, context) ->
            ((CustomersApiClickHouseIT) instance).clickhouse = ClickHouseExtension.shared(context);

    private ClickHouseServer clickhouse;
    private String database;

    @Override
    protected Map<Setting, String> storeSettings() {
        database = clickhouse.newDatabase("customers");
        return TestNodes.clickHouseStore(clickhouse, database);
    }

    @org.junit.jupiter.api.Test
    void whileTheStoreIsDownReadsAre503WritesAreKeptAndAllAreVisibleOnceItIsBack() {
        org.junit.jupiter.api.Assumptions.assumeTrue(clickhouse.isManaged(), "the external ClickHouse at CLICKHOUSE_URL cannot be stopped by the tests");
        Http http = fullAccess("ws-outage");
        String before = create(http, "outage-0", "zero@example.com", null);
        java.net.http.HttpResponse<String> write;
        java.net.http.HttpResponse<String> event;
        clickhouse.stop();
        try {
            for (String read : java.util.List.of("/customers", "/customers/count", "/customers/" + before, "/customers/" + before + "/journey",
                    "/customers/cohorts", "/customers/ltv-cohorts")) {
                java.net.http.HttpResponse<String> r = http.get(read);
                ApiAssertions.assertError(r, 503, "SERVICE_UNAVAILABLE", read + " while the store is down");
                org.assertj.core.api.Assertions.assertThat(r.headers().firstValue("Retry-After")).as(read).isPresent();
                org.assertj.core.api.Assertions.assertThat(r.body()).as("no internals").doesNotContain("8123").doesNotContain("ClickHouse");
            }
            write = http.request("POST", "/customers", "{\"externalId\":\"outage-1\",\"email\":\"one@example.com\"}", "application/json");
            event = http.post("/v0/events?name=customer_events", "{\"event_id\":\"out-e1\",\"customer_id\":\"outage-1\","
                    + "\"event_type\":\"purchase\",\"event_timestamp\":\"2024-07-01 12:00:00\",\"price\":\"9.99\"}");
        } finally {
            clickhouse.start();
        }
        org.assertj.core.api.Assertions.assertThat(write.statusCode()).as("accepted into Kafka: " + write.body()).isEqualTo(201);
        org.assertj.core.api.Assertions.assertThat(write.headers().firstValue("Warning")).as("not yet visible").isPresent();
        org.assertj.core.api.Assertions.assertThat(event.statusCode()).as(event.body()).isEqualTo(202);
        String id = Http.json(write).get("id").asText();
        Await.until("the write made during the outage to be visible", () -> http.get("/customers/" + id).statusCode() == 200);
        Await.until("the event accepted during the outage to be visible", () ->
                Http.json(http.get("/customers/" + id + "/journey")).path("total").asLong() == 1);
        org.assertj.core.api.Assertions.assertThat(Http.json(http.get("/customers/count")).get("count").asLong()).isEqualTo(2);
    }

    @org.junit.jupiter.api.Test
    void aFailingQueryIs500AnalyticsErrorWithoutInternals() {
        Http http = fullAccess("ws-query-failure");
        create(http, "qf-1", null, null);
        clickhouse.execute("RENAME TABLE " + database + ".customers TO " + database + ".customers_elsewhere");
        try {
            for (String read : java.util.List.of("/customers", "/customers/count", "/customers/cohorts")) {
                java.net.http.HttpResponse<String> r = http.get(read);
                com.fasterxml.jackson.databind.JsonNode error = ApiAssertions.assertError(r, 500, "ANALYTICS_ERROR", read + " with its table gone");
                org.assertj.core.api.Assertions.assertThat(error.get("message").asText()).as(read).contains("request id")
                        .contains(r.headers().firstValue("X-Request-Id").orElseThrow());
                org.assertj.core.api.Assertions.assertThat(r.body()).as("no internals").doesNotContain("customers_elsewhere")
                        .doesNotContain("SELECT").doesNotContain("DB::Exception").doesNotContain("Code:");
            }
        } finally {
            clickhouse.execute("RENAME TABLE " + database + ".customers_elsewhere TO " + database + ".customers");
        }
        org.assertj.core.api.Assertions.assertThat(http.get("/customers/count").statusCode()).isEqualTo(200);
    }
}
