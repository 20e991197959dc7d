package io.tributary.processors.segments;

import io.tributary.schemas.avro.CustomerProfile;
import io.tributary.schemas.avro.CustomerSegment;
import io.tributary.schemas.avro.CustomerStats;

/** What the membership processor reacts to; the three input streams are merged as these. */
sealed interface MembershipInput {
    /** A customer's statistics changed (an event was counted); key workspace|customer. */
    record StatsChanged(CustomerStats stats) implements MembershipInput {
    }

    /** A customer's profile was upserted, or deleted ({@code profile} null); key workspace|customer. */
    record ProfileChanged(CustomerProfile profile) implements MembershipInput {
    }

    /** A segment was upserted, or deleted ({@code segment} null); key workspace|segment_id. */
    record SegmentChanged(CustomerSegment segment) implements MembershipInput {
    }
}
