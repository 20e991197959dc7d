package io.tributary.gateway.entities;

import io.tributary.platform.auth.Scope;
import io.tributary.platform.entities.CustomerSegmentView;
import io.tributary.platform.http.RequestFields;
import io.tributary.platform.rules.RuleSyntaxException;
import io.tributary.platform.rules.SegmentRule;
import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.CustomerSegment;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Seed 001's customer segments: {@code /v1/customer-segments} on topic customer_segments, the same
 * entities as the Events API's customer_segments rows (name = segment_name, description =
 * segment_description). Criteria that parse in the rule language also become segment_rules, so
 * membership is evaluated live; other criteria are kept as text.
 */
final class CustomerSegmentCodec {
    static final EntityCodec<CustomerSegment> CODEC = new EntityCodec<>("customer segment", CustomerSegmentView.PATH,
            Topics.CUSTOMER_SEGMENTS, Scope.SEGMENTS_CREATE, Scope.SEGMENTS_UPDATE, Scope.SEGMENTS_DELETE,
            CustomerSegmentView.CREATE_FIELDS, CustomerSegmentView.UPDATE_FIELDS,
            Map.of("name", EntityWrites.MAX_NAME_CHARS, "criteria", EntityWrites.MAX_TEXT_CHARS, "description", EntityWrites.MAX_TEXT_CHARS),
            CustomerSegmentCodec::create, CustomerSegmentCodec::update, CustomerSegmentCodec::view);

    private CustomerSegmentCodec() {
    }

    static CustomerSegment create(String workspaceId, String id, RequestFields fields, Instant now) {
        String criteria = fields.get("criteria").orElseThrow();
        return CustomerSegment.newBuilder()
                .setWorkspaceId(workspaceId)
                .setSegmentId(id)
                .setSegmentName(fields.get("name").orElseThrow())
                .setSegmentDescription(fields.get("description").orElseThrow())
                .setCriteria(criteria)
                .setSegmentRules(ruleOrNull(criteria))
                .setCreationDate(day(now))
                .setUpdateDate(day(now))
                .setCreatedAt(now)
                .setIngestedAt(now)
                .build();
    }

    static CustomerSegment update(CustomerSegment current, RequestFields fields, Instant now) {
        CustomerSegment.Builder next = CustomerSegment.newBuilder(current).setIngestedAt(now).setUpdateDate(day(now));
        if (current.getCreatedAt() == null) {
            // a segment of the Events API: its first Fin X write fixes the creation time it showed so far
            next.setCreatedAt(current.getIngestedAt());
        }
        fields.get("name").ifPresent(next::setSegmentName);
        fields.get("description").ifPresent(next::setSegmentDescription);
        fields.get("criteria").ifPresent(criteria -> next.setCriteria(criteria).setSegmentRules(ruleOrNull(criteria)));
        return next.build();
    }

    static CustomerSegmentView view(CustomerSegment r) {
        return CustomerSegmentView.of(r.getSegmentId(), r.getSegmentName(), r.getSegmentDescription(), r.getCriteria(),
                r.getSegmentRules(), r.getCreatedAt(), r.getIngestedAt());
    }

    /** The criteria when they are a rule (membership follows them live), else null (text only). */
    static String ruleOrNull(String criteria) {
        try {
            SegmentRule.parse(criteria);
            return criteria;
        } catch (RuleSyntaxException e) {
            return null;
        }
    }

    private static LocalDate day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }
}
