package io.tributary.gateway.entities;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.platform.entities.CustomerInsightView;
import io.tributary.platform.entities.CustomerSegmentView;
import io.tributary.platform.http.RequestFields;
import io.tributary.schemas.avro.CustomerInsight;
import io.tributary.schemas.avro.CustomerSegment;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How creates and partial updates become whole records, and records become the seeds' shapes. */
class EntityCodecsTest {
    private static final Instant CREATED = Instant.parse("1992-05-05T22:00:00Z"); // the seeds' 705103200
    private static final Instant LATER = CREATED.plusSeconds(3600);

    @Test
    void anInsightUpdateChangesOnlyTheFieldsSentAndMovesUpdatedAt() {
        CustomerInsight created = CustomerInsightCodec.create("ws", "xgQQXg3hrtjh7AvZ", RequestFields.of(Map.of(
                "customer_id", "WAz8eIbvDR60rouK", "insight_type", "purchase_behavior", "details", "electronics")), CREATED);
        assertThat(CustomerInsightCodec.view(created)).isEqualTo(new CustomerInsightView("xgQQXg3hrtjh7AvZ", "WAz8eIbvDR60rouK",
                "purchase_behavior", "electronics", 705103200L, 705103200L));

        CustomerInsight updated = CustomerInsightCodec.update(created, RequestFields.of(Map.of("details", "home appliances")), LATER);
        assertThat(CustomerInsightCodec.view(updated)).isEqualTo(new CustomerInsightView("xgQQXg3hrtjh7AvZ", "WAz8eIbvDR60rouK",
                "purchase_behavior", "home appliances", 705103200L, 705106800L));
    }

    @Test
    void segmentCriteriaThatParseBecomeTheLiveRuleAndTextStaysDocumentation() {
        CustomerSegment rule = segment("total_spent > 1000 AND session_count > 10");
        assertThat(rule.getSegmentRules()).isEqualTo("total_spent > 1000 AND session_count > 10");
        assertThat(CustomerSegmentCodec.view(rule).criteriaType()).isEqualTo(CustomerSegmentView.RULE);
        assertThat(rule.getCreationDate()).isEqualTo(LocalDate.of(1992, 5, 5));

        CustomerSegment text = segment("Customers who spend more than $1000 per month");
        assertThat(text.getSegmentRules()).isNull();
        assertThat(text.getCriteria()).isEqualTo("Customers who spend more than $1000 per month");
        assertThat(CustomerSegmentCodec.view(text)).isEqualTo(new CustomerSegmentView(text.getSegmentId(), "High Spend",
                "Customers who spend more than $1000 per month", "text", "spends", 705103200L, 705103200L));

        CustomerSegment nowText = CustomerSegmentCodec.update(rule, RequestFields.of(Map.of("criteria", "big spenders")), LATER);
        assertThat(nowText.getSegmentRules()).as("text criteria stop the old rule").isNull();
        CustomerSegment renamed = CustomerSegmentCodec.update(rule, RequestFields.of(Map.of("name", "Whales")), LATER);
        assertThat(renamed.getSegmentRules()).as("a rename keeps the rule").isEqualTo(rule.getSegmentRules());
        assertThat(CustomerSegmentCodec.view(renamed).updatedAt()).isEqualTo(705106800L);
        assertThat(renamed.getUpdateDate()).isEqualTo(LocalDate.of(1992, 5, 5));
    }

    @Test
    void anEventsApiSegmentShowsItsRuleAsCriteriaAndKeepsItsCreationTimeOnItsFirstUpdate() {
        CustomerSegment eventsApi = CustomerSegment.newBuilder().setWorkspaceId("ws").setSegmentId("seg-1").setSegmentName("Buyers")
                .setSegmentRules("events.purchase >= 1").setIngestedAt(CREATED).build();
        assertThat(CustomerSegmentCodec.view(eventsApi)).isEqualTo(new CustomerSegmentView("seg-1", "Buyers", "events.purchase >= 1",
                "rule", null, 705103200L, 705103200L));

        CustomerSegment described = CustomerSegmentCodec.update(eventsApi, RequestFields.of(Map.of("description", "bought once")), LATER);
        assertThat(described.getCreatedAt()).isEqualTo(CREATED);
        assertThat(described.getCriteria()).as("untouched criteria stay the Events API's rule").isNull();
        assertThat(CustomerSegmentCodec.view(described)).isEqualTo(new CustomerSegmentView("seg-1", "Buyers", "events.purchase >= 1",
                "rule", "bought once", 705103200L, 705106800L));
    }

    private static CustomerSegment segment(String criteria) {
        return CustomerSegmentCodec.create("ws", "hSIhXBhNe8X1d8Et", RequestFields.of(Map.of(
                "name", "High Spend", "criteria", criteria, "description", "spends")), CREATED);
    }
}
