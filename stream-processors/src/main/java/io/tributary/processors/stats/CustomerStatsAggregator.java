package io.tributary.processors.stats;

import io.tributary.schemas.avro.CustomerEvent;
import io.tributary.schemas.avro.CustomerStats;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Folds one customer event into the customer's running statistics. Pure: no I/O, no clock. */
public final class CustomerStatsAggregator {
    static final String PURCHASE = "purchase";
    private static final int MONEY_SCALE = 4;

    private CustomerStatsAggregator() {
    }

    /** The statistics before any event: the Kafka Streams initializer (aggregates cannot start as null). */
    public static CustomerStats empty() {
        return CustomerStats.newBuilder()
                .setWorkspaceId("")
                .setCustomerId("")
                .setEventCount(0)
                .setEventsByType(new HashMap<>())
                .setPurchaseCount(0)
                .setItemsPurchased(0)
                .setTotalSpent(BigDecimal.ZERO.setScale(MONEY_SCALE))
                .setFirstSeen(Instant.EPOCH)
                .setLastSeen(Instant.EPOCH)
                .setFirstPurchaseAt(null)
                .setLastPurchaseAt(null)
                .setVersion(0)
                .setUpdatedAt(Instant.EPOCH)
                .build();
    }

    public static CustomerStats apply(CustomerEvent event, CustomerStats previous) {
        boolean first = previous.getEventCount() == 0;
        Instant at = event.getEventTimestamp();
        Map<String, Long> byType = new HashMap<>(previous.getEventsByType());
        byType.merge(event.getEventType(), 1L, Long::sum);

        CustomerStats.Builder next = CustomerStats.newBuilder(previous)
                .setWorkspaceId(event.getWorkspaceId())
                .setCustomerId(event.getCustomerId())
                .setEventCount(previous.getEventCount() + 1)
                .setEventsByType(byType)
                .setFirstSeen(first || at.isBefore(previous.getFirstSeen()) ? at : previous.getFirstSeen())
                .setLastSeen(first || at.isAfter(previous.getLastSeen()) ? at : previous.getLastSeen())
                .setVersion(previous.getVersion() + 1)
                .setUpdatedAt(max(previous.getUpdatedAt(), event.getIngestedAt()));

        if (PURCHASE.equals(event.getEventType())) {
            long quantity = event.getQuantity() == null ? 1 : event.getQuantity();
            BigDecimal price = event.getPrice() == null ? BigDecimal.ZERO : event.getPrice();
            next.setPurchaseCount(previous.getPurchaseCount() + 1)
                    .setItemsPurchased(previous.getItemsPurchased() + quantity)
                    .setTotalSpent(previous.getTotalSpent().add(price.multiply(BigDecimal.valueOf(quantity)))
                            .setScale(MONEY_SCALE, RoundingMode.UNNECESSARY))
                    .setFirstPurchaseAt(previous.getFirstPurchaseAt() == null || at.isBefore(previous.getFirstPurchaseAt())
                            ? at : previous.getFirstPurchaseAt())
                    .setLastPurchaseAt(previous.getLastPurchaseAt() == null || at.isAfter(previous.getLastPurchaseAt())
                            ? at : previous.getLastPurchaseAt());
        }
        return next.build();
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
