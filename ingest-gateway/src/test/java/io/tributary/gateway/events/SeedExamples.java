package io.tributary.gateway.events;

/** Bodies taken verbatim from the seeds. */
public final class SeedExamples {
    /** Seed 002's customer_events example: the -d argument of its curl command, one pretty-printed object. */
    public static final String CUSTOMER_EVENT_CURL_BODY = "{\n"
            + "       \"event_id\": \"ev-12345\",\n"
            + "       \"customer_id\": \"cust-789\",\n"
            + "       \"event_type\": \"purchase\",\n"
            + "       \"event_timestamp\": \"2023-06-15 14:30:45\",\n"
            + "       \"session_id\": \"sess-456\",\n"
            + "       \"page_url\": \"https://example.com/product/123\",\n"
            + "       \"product_id\": \"prod-123\",\n"
            + "       \"category_id\": \"cat-456\",\n"
            + "       \"price\": 49.99,\n"
            + "       \"quantity\": 1,\n"
            + "       \"device_type\": \"mobile\",\n"
            + "       \"country\": \"US\",\n"
            + "       \"referrer\": \"google.com\",\n"
            + "       \"user_agent\": \"Mozilla/5.0 (iPhone; CPU iPhone OS 13_2_3 like Mac OS X)\"\n"
            + "     }";

    private SeedExamples() {
    }
}
