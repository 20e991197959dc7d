package io.tributary.gateway.entities;

import io.tributary.platform.auth.Scope;
import io.tributary.platform.entities.CustomerInsightView;
import io.tributary.platform.http.RequestFields;
import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.CustomerInsight;
import java.time.Instant;
import java.util.Map;

/** Seed 000's customer insights: {@code /v1/customer-insights} on topic customer_insights. */
final class CustomerInsightCodec {
    static final EntityCodec<CustomerInsight> CODEC = new EntityCodec<>("customer insight", CustomerInsightView.PATH,
            Topics.CUSTOMER_INSIGHTS, Scope.INSIGHTS_CREATE, Scope.INSIGHTS_UPDATE, Scope.INSIGHTS_DELETE,
            CustomerInsightView.CREATE_FIELDS, CustomerInsightView.UPDATE_FIELDS,
            Map.of("customer_id", EntityWrites.MAX_NAME_CHARS, "insight_type", EntityWrites.MAX_NAME_CHARS,
                    "details", EntityWrites.MAX_TEXT_CHARS),
            CustomerInsightCodec::create, CustomerInsightCodec::update, CustomerInsightCodec::view);

    private CustomerInsightCodec() {
    }

    static CustomerInsight create(String workspaceId, String id, RequestFields fields, Instant now) {
        return CustomerInsight.newBuilder()
                .setWorkspaceId(workspaceId)
                .setInsightId(id)
                .setCustomerId(fields.get("customer_id").orElseThrow())
                .setInsightType(fields.get("insight_type").orElseThrow())
                .setDetails(fields.get("details").orElseThrow())
                .setCreatedAt(now)
                .setUpdatedAt(now)
                .build();
    }

    static CustomerInsight update(CustomerInsight current, RequestFields fields, Instant now) {
        CustomerInsight.Builder next = CustomerInsight.newBuilder(current).setUpdatedAt(now);
        fields.get("customer_id").ifPresent(next::setCustomerId);
        fields.get("insight_type").ifPresent(next::setInsightType);
        fields.get("details").ifPresent(next::setDetails);
        return next.build();
    }

    static CustomerInsightView view(CustomerInsight r) {
        return new CustomerInsightView(r.getInsightId(), r.getCustomerId(), r.getInsightType(), r.getDetails(),
                r.getCreatedAt().getEpochSecond(), r.getUpdatedAt().getEpochSecond());
    }
}
