package io.tributary.platform.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.schemas.avro.CustomerProfile;
import io.tributary.schemas.avro.CustomerStats;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CustomerFactsTest {
    private static final Instant T = Instant.parse("2024-03-01T10:00:00Z");

    static CustomerStats stats(String totalSpent, long sessions) {
        return CustomerStats.newBuilder()
                .setWorkspaceId("w").setCustomerId("c").setEventCount(3)
                .setEventsByType(Map.of("purchase", 2L, "page_view", 1L)).setPurchaseCount(2).setItemsPurchased(4)
                .setTotalSpent(new BigDecimal(totalSpent).setScale(4)).setFirstSeen(T).setLastSeen(T)
                .setFirstPurchaseAt(T).setLastPurchaseAt(T).setSessionCount(sessions).setDistinctProducts(2).setDistinctCategories(1)
                .setDevices(List.of("mobile", "web")).setCountries(List.of("US")).setAverageOrderValue(new BigDecimal("1.0000"))
                .setLifetimeValue(new BigDecimal(totalSpent).setScale(4)).setVersion(3).setUpdatedAt(T).build();
    }

    static CustomerProfile profile(String segment, String lifetimeValue) {
        return CustomerProfile.newBuilder().setWorkspaceId("w").setCustomerId("c").setAge(35).setCity("Paris")
                .setSignupDate(LocalDate.of(2024, 1, 31)).setCustomerSegment(segment)
                .setLifetimeValue(lifetimeValue == null ? null : new BigDecimal(lifetimeValue).setScale(4)).setIngestedAt(T).build();
    }

    private static Truth eval(String rule, CustomerFacts facts) {
        return SegmentRuleTest.parse(rule).evaluate(facts);
    }

    @Test
    void statsAndProfileFields() {
        CustomerFacts facts = new CustomerFacts(stats("1500", 12), profile("vip", null));
        assertThat(eval("total_spent > 1000 AND session_count > 10", facts)).isEqualTo(Truth.TRUE);
        assertThat(eval("events.purchase = 2 AND events.page_view = 1 AND events.signup = 0", facts)).isEqualTo(Truth.TRUE);
        assertThat(eval("device_count = 2 AND country_count = 1 AND distinct_products = 2", facts)).isEqualTo(Truth.TRUE);
        assertThat(eval("age >= 35 AND city = 'Paris' AND signup_date = '2024-01-31'", facts)).isEqualTo(Truth.TRUE);
        assertThat(eval("customer_segment = 'vip'", facts)).isEqualTo(Truth.TRUE);
        assertThat(eval("last_seen = '2024-03-01 10:00:00'", facts)).isEqualTo(Truth.TRUE);
        assertThat(eval("gender = 'x'", facts)).isEqualTo(Truth.UNKNOWN);
    }

    @Test
    void lifetimeValueIsTheProfilesWhenSetElseTotalSpent() {
        assertThat(eval("lifetime_value = 1500", new CustomerFacts(stats("1500", 1), profile(null, null)))).isEqualTo(Truth.TRUE);
        assertThat(eval("lifetime_value = 20000", new CustomerFacts(stats("1500", 1), profile(null, "20000")))).isEqualTo(Truth.TRUE);
        assertThat(eval("lifetime_value = 20000", new CustomerFacts(null, profile(null, "20000")))).isEqualTo(Truth.TRUE);
        assertThat(eval("lifetime_value = 0", new CustomerFacts(null, profile(null, null)))).isEqualTo(Truth.TRUE);
    }

    @Test
    void aCustomerWithAProfileButNoEventsHasZeroCountsAndMissingTimes() {
        CustomerFacts facts = new CustomerFacts(null, profile(null, null));
        assertThat(eval("total_spent = 0 AND purchase_count = 0 AND session_count = 0 AND events.purchase = 0", facts)).isEqualTo(Truth.TRUE);
        assertThat(eval("total_spent > 1000", facts)).isEqualTo(Truth.FALSE);
        assertThat(eval("last_seen > '2020-01-01'", facts)).isEqualTo(Truth.UNKNOWN);
        assertThat(eval("average_order_value > 1", facts)).isEqualTo(Truth.UNKNOWN);
    }

    @Test
    void aCustomerWithEventsButNoProfileHasMissingProfileFields() {
        CustomerFacts facts = new CustomerFacts(stats("10", 1), null);
        assertThat(eval("age > 1", facts)).isEqualTo(Truth.UNKNOWN);
        assertThat(eval("NOT city = 'Paris'", facts)).isEqualTo(Truth.UNKNOWN);
        assertThat(eval("total_spent = 10", facts)).isEqualTo(Truth.TRUE);
        assertThat(new CustomerFacts(null, null).known()).isFalse();
        assertThat(eval("total_spent = 0", new CustomerFacts(null, null))).isEqualTo(Truth.UNKNOWN);
    }
}
