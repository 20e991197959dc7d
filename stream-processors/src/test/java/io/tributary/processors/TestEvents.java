package io.tributary.processors;

import io.tributary.schemas.avro.CustomerEvent;
import io.tributary.schemas.avro.CustomerProfile;
import io.tributary.schemas.avro.CustomerSegment;
import java.math.BigDecimal;
import java.time.Instant;

/** Builds customer events, profiles and segments for tests. */
public final class TestEvents {
    private TestEvents() {
    }

    public static CustomerEvent event(String workspace, String eventId, String customer, String type, String timestamp, String price, Integer quantity) {
        return CustomerEvent.newBuilder()
                .setWorkspaceId(workspace)
                .setEventId(eventId)
                .setCustomerId(customer)
                .setEventType(type)
                .setEventTimestamp(Instant.parse(timestamp))
                .setPrice(price == null ? null : new BigDecimal(price).setScale(4))
                .setQuantity(quantity)
                .setCountry("US")
                .setIngestedAt(Instant.parse("2024-01-01T00:00:00Z"))
                .build();
    }

    /** A purchase of {@code amount} in a session, with product, category and device. */
    public static CustomerEvent purchase(String workspace, String eventId, String customer, String amount, String session) {
        return CustomerEvent.newBuilder(event(workspace, eventId, customer, "purchase", "2023-06-15T14:30:45Z", amount, 1))
                .setSessionId(session).setProductId("p-" + eventId).setCategoryId("cat").setDeviceType("mobile").build();
    }

    public static CustomerProfile profile(String workspace, String customer, String city, String customerSegment) {
        return CustomerProfile.newBuilder().setWorkspaceId(workspace).setCustomerId(customer).setCity(city)
                .setCustomerSegment(customerSegment).setIngestedAt(Instant.parse("2024-01-01T00:00:00Z")).build();
    }

    public static CustomerSegment segment(String workspace, String segmentId, String name, String rules) {
        return CustomerSegment.newBuilder().setWorkspaceId(workspace).setSegmentId(segmentId).setSegmentName(name)
                .setSegmentRules(rules).setIngestedAt(Instant.parse("2024-01-01T00:00:00Z")).build();
    }
}
