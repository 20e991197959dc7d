package io.tributary.processors;

import io.tributary.schemas.avro.CustomerEvent;
import java.math.BigDecimal;
import java.time.Instant;

/** Builds customer events for tests. */
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
}
