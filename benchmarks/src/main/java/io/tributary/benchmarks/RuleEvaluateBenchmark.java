package io.tributary.benchmarks;

import io.tributary.platform.rules.CustomerFacts;
import io.tributary.platform.rules.RuleSyntaxException;
import io.tributary.platform.rules.SegmentRule;
import io.tributary.schemas.avro.CustomerProfile;
import io.tributary.schemas.avro.CustomerStats;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Segment rule evaluation (SegmentRule.evaluate over CustomerFacts), as segment membership runs it
 * for every event, profile and rule change. Scores are per customer evaluated.
 */
public class RuleEvaluateBenchmark extends HotPathBenchmark {
    static final int CUSTOMERS = 1_000;

    @Param({
        "total_spent > 1000 AND session_count > 10",
        "country IN ('US', 'GB') AND (total_spent >= 500 OR events.purchase > 3) AND last_seen >= '2023-06-01 00:00:00'",
        "NOT (age < 25 OR age > 45) AND lifetime_value >= 250.5 AND customer_segment != 'At Risk'"
    })
    public String rule;

    private SegmentRule parsed;
    private final List<CustomerFacts> facts = new ArrayList<>();

    @Setup
    public void setUp() throws RuleSyntaxException {
        parsed = SegmentRule.parse(rule);
        Random random = new Random(3);
        String[] countries = {"US", "GB", "DE", "FR"};
        Instant t0 = Instant.parse("2023-01-01T00:00:00Z");
        for (int c = 0; c < CUSTOMERS; c++) {
            long purchases = random.nextInt(10);
            BigDecimal spent = BigDecimal.valueOf(random.nextInt(300_000), 2).setScale(4);
            Instant last = t0.plusSeconds(random.nextInt(365 * 86_400));
            CustomerStats stats = CustomerStats.newBuilder()
                    .setWorkspaceId("default").setCustomerId("cust-" + c).setEventCount(purchases * 5 + 1)
                    .setEventsByType(Map.of("purchase", purchases, "page_view", purchases * 4 + 1)).setPurchaseCount(purchases)
                    .setItemsPurchased(purchases * 2).setTotalSpent(spent).setFirstSeen(t0).setLastSeen(last)
                    .setFirstPurchaseAt(purchases == 0 ? null : t0).setLastPurchaseAt(purchases == 0 ? null : last)
                    .setSessionCount(random.nextInt(30)).setDistinctProducts(3).setDistinctCategories(2)
                    .setDevices(List.of("mobile")).setCountries(List.of(countries[c % 4])).setAverageOrderValue(null)
                    .setLifetimeValue(spent).setVersion(1).setUpdatedAt(last).build();
            CustomerProfile profile = random.nextInt(10) == 0 ? null : CustomerProfile.newBuilder().setWorkspaceId("default")
                    .setCustomerId("cust-" + c).setAge(18 + random.nextInt(60)).setCity("Paris").setCountry(countries[c % 4])
                    .setSignupDate(LocalDate.of(2022, 5, 1)).setCustomerSegment(random.nextBoolean() ? "At Risk" : "Regular")
                    .setLifetimeValue(random.nextBoolean() ? null : spent).setIngestedAt(t0).build();
            facts.add(new CustomerFacts(stats, profile));
        }
    }

    @Benchmark
    @OperationsPerInvocation(CUSTOMERS)
    public void evaluate(Blackhole hole) {
        for (CustomerFacts f : facts) {
            hole.consume(parsed.evaluate(f));
        }
    }
}
