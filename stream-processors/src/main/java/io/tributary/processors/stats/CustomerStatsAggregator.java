package io.tributary.processors.stats;

import io.tributary.schemas.avro.CustomerEvent;
import io.tributary.schemas.avro.CustomerStats;
import io.tributary.schemas.avro.internal.CustomerAggregate;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds one customer event into the customer's running aggregate: the published statistics plus
 * the distinct session, product and category ids that make session_count and distinct_* exact.
 * Pure: no I/O, no clock.
 */
public final class CustomerStatsAggregator {
    static final String PURCHASE = "purchase";
    private static final int MONEY_SCALE = 4;

    private CustomerStatsAggregator() {
    }

    /** The aggregate before any event: the Kafka Streams initializer (aggregates cannot start as null). */
    public static CustomerAggregate empty() {
        return CustomerAggregate.newBuilder()
                .setStats(CustomerStats.newBuilder()
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
                        .setLifetimeValue(BigDecimal.ZERO.setScale(MONEY_SCALE))
                        .setVersion(0)
                        .setUpdatedAt(Instant.EPOCH)
                        .build())
                .build();
    }

    public static CustomerAggregate apply(CustomerEvent event, CustomerAggregate previous) {
        List<String> sessions = withValue(previous.getSessionIds(), event.getSessionId());
        List<String> products = withValue(previous.getProductIds(), event.getProductId());
        List<String> categories = withValue(previous.getCategoryIds(), event.getCategoryId());
        CustomerStats stats = apply(event, previous.getStats(), sessions.size(), products.size(), categories.size());
        return CustomerAggregate.newBuilder()
                .setStats(stats)
                .setSessionIds(sessions)
                .setProductIds(products)
                .setCategoryIds(categories)
                .build();
    }

    private static CustomerStats apply(CustomerEvent event, CustomerStats previous, long sessions, long products, long categories) {
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
                .setSessionCount(sessions)
                .setDistinctProducts(products)
                .setDistinctCategories(categories)
                .setDevices(withValue(previous.getDevices(), event.getDeviceType()))
                .setCountries(withValue(previous.getCountries(), event.getCountry()))
                .setVersion(previous.getVersion() + 1)
                .setUpdatedAt(max(previous.getUpdatedAt(), event.getIngestedAt()));

        if (PURCHASE.equals(event.getEventType())) {
            long quantity = event.getQuantity() == null ? 1 : event.getQuantity();
            BigDecimal price = event.getPrice() == null ? BigDecimal.ZERO : event.getPrice();
            long purchases = previous.getPurchaseCount() + 1;
            BigDecimal total = previous.getTotalSpent().add(price.multiply(BigDecimal.valueOf(quantity)))
                    .setScale(MONEY_SCALE, RoundingMode.UNNECESSARY);
            next.setPurchaseCount(purchases)
                    .setItemsPurchased(previous.getItemsPurchased() + quantity)
                    .setTotalSpent(total)
                    .setAverageOrderValue(total.divide(BigDecimal.valueOf(purchases), MONEY_SCALE, RoundingMode.HALF_EVEN))
                    .setLifetimeValue(total)
                    .setFirstPurchaseAt(previous.getFirstPurchaseAt() == null || at.isBefore(previous.getFirstPurchaseAt())
                            ? at : previous.getFirstPurchaseAt())
                    .setLastPurchaseAt(previous.getLastPurchaseAt() == null || at.isAfter(previous.getLastPurchaseAt())
                            ? at : previous.getLastPurchaseAt());
        } else if (previous.getLifetimeValue() == null) {
            next.setLifetimeValue(previous.getTotalSpent()); // aggregates written before lifetime_value existed
        }
        return next.build();
    }

    /** {@code sorted} with {@code value} added (kept sorted, no duplicates); the same list when nothing changes. */
    static List<String> withValue(List<String> sorted, String value) {
        if (value == null || value.isEmpty()) {
            return sorted;
        }
        int at = Collections.binarySearch(sorted, value);
        if (at >= 0) {
            return sorted;
        }
        List<String> next = new ArrayList<>(sorted.size() + 1);
        next.addAll(sorted);
        next.add(-at - 1, value);
        return next;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
