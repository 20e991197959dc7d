package io.tributary.processors.segments;

import io.tributary.platform.rules.CustomerFacts;
import io.tributary.platform.rules.RuleSyntaxException;
import io.tributary.platform.rules.SegmentRule;
import io.tributary.platform.rules.Truth;
import io.tributary.processors.stats.CustomerStatsTopology;
import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.CustomerProfile;
import io.tributary.schemas.avro.CustomerSegment;
import io.tributary.schemas.avro.CustomerStats;
import io.tributary.schemas.avro.SegmentMembership;
import io.tributary.schemas.avro.internal.CustomerAggregate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps segment membership live. Per task it holds the latest profile of each customer of its
 * partition, every segment (segments are multicast to all tasks) and the current membership of
 * each (customer, segment) pair; statistics come from the aggregate store. A statistics or profile
 * change re-evaluates every segment of the workspace for that customer; a segment change
 * re-evaluates that segment for every customer of the workspace in this task; a deleted segment
 * lets its members leave. A record goes to segment_membership only when member, via_rule or
 * via_profile changes, stamped with the triggering record's timestamp (replays are deterministic).
 *
 * <p>via_rule: the segment's rule is TRUE for the customer's facts (UNKNOWN or FALSE is not a
 * match; a segment without a rule, or with one that does not parse, matches no one by rule).
 * via_profile: the profile's customer_segment equals the segment's name. member = either.
 */
final class SegmentMembershipProcessor implements Processor<String, MembershipInput, String, SegmentMembership> {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentMembershipProcessor.class);
    private static final StringSerializer KEYS = new StringSerializer();
    static final String CAUSE_EVENT = "event";
    static final String CAUSE_PROFILE = "profile";
    static final String CAUSE_SEGMENT = "segment";

    /** A segment's parsed rule, kept while the rule text stays the same. */
    private record ParsedRule(String text, SegmentRule rule) {
    }

    private ProcessorContext<String, SegmentMembership> context;
    private KeyValueStore<String, ValueAndTimestamp<CustomerAggregate>> aggregates;
    private KeyValueStore<String, CustomerProfile> profiles;
    private KeyValueStore<String, CustomerSegment> segments;
    private KeyValueStore<String, SegmentMembership> members;
    private final Map<String, ParsedRule> rules = new HashMap<>();
    /**
     * Segments by workspace, read through from {@link #segments}: every statistics change needs
     * all of them, and decoding them from the store per event was most of the topology's cost.
     */
    private final Map<String, Map<String, CustomerSegment>> segmentsByWorkspace = new HashMap<>();

    @Override
    public void init(ProcessorContext<String, SegmentMembership> context) {
        this.context = context;
        this.aggregates = context.getStateStore(CustomerStatsTopology.AGGREGATES_STORE);
        this.profiles = context.getStateStore(SegmentMembershipTopology.PROFILES_STORE);
        this.segments = context.getStateStore(SegmentMembershipTopology.SEGMENTS_STORE);
        this.members = context.getStateStore(SegmentMembershipTopology.MEMBERS_STORE);
    }

    @Override
    public void process(Record<String, MembershipInput> record) {
        if (record.key() == null || record.value() == null || record.key().indexOf('|') < 0) {
            LOG.warn("skipping a membership input without a workspace|entity key: {}", record.key());
            return;
        }
        MembershipInput input = record.value();
        if (input instanceof MembershipInput.StatsChanged changed) {
            customerChanged(record.key(), changed.stats(), profiles.get(record.key()), CAUSE_EVENT, record.timestamp());
        } else if (input instanceof MembershipInput.ProfileChanged changed) {
            if (changed.profile() == null) {
                profiles.delete(record.key());
            } else {
                profiles.put(record.key(), changed.profile());
            }
            customerChanged(record.key(), statsOf(record.key()), changed.profile(), CAUSE_PROFILE, record.timestamp());
        } else if (input instanceof MembershipInput.SegmentChanged changed) {
            segmentChanged(record.key(), changed.segment(), record.timestamp());
        }
    }

    private void customerChanged(String customerKey, CustomerStats stats, CustomerProfile profile, String cause, long timestamp) {
        String workspace = workspaceOf(customerKey);
        String customer = customerKey.substring(workspace.length() + 1);
        CustomerFacts facts = new CustomerFacts(stats, profile);
        for (CustomerSegment segment : segmentsOf(workspace).values()) {
            evaluate(workspace, customer, segment, facts, cause, timestamp);
        }
    }

    private void segmentChanged(String segmentKey, CustomerSegment segment, long timestamp) {
        String workspace = workspaceOf(segmentKey);
        if (segment == null) {
            CustomerSegment removed = segments.get(segmentKey);
            segments.delete(segmentKey);
            segmentsOf(workspace).remove(segmentKey);
            rules.remove(segmentKey);
            if (removed != null) {
                segmentDeleted(workspace, removed, timestamp);
            }
            return;
        }
        segments.put(segmentKey, segment);
        segmentsOf(workspace).put(segmentKey, segment);
        List<String> withStats = new ArrayList<>();
        try (KeyValueIterator<String, ValueAndTimestamp<CustomerAggregate>> it = aggregates.prefixScan(workspace + "|", KEYS)) {
            while (it.hasNext()) {
                KeyValue<String, ValueAndTimestamp<CustomerAggregate>> entry = it.next();
                CustomerStats stats = entry.value.value().getStats();
                withStats.add(entry.key);
                evaluate(workspace, stats.getCustomerId(), segment, new CustomerFacts(stats, profiles.get(entry.key)), CAUSE_SEGMENT, timestamp);
            }
        }
        try (KeyValueIterator<String, CustomerProfile> it = profiles.prefixScan(workspace + "|", KEYS)) {
            while (it.hasNext()) {
                KeyValue<String, CustomerProfile> entry = it.next();
                if (aggregates.get(entry.key) == null) { // customers without events: known by their profile only
                    evaluate(workspace, entry.value.getCustomerId(), segment, new CustomerFacts(null, entry.value), CAUSE_SEGMENT, timestamp);
                }
            }
        }
        LOG.debug("segment {} re-evaluated for {} customers with events", segmentKey, withStats.size());
    }

    private void segmentDeleted(String workspace, CustomerSegment removed, long timestamp) {
        List<SegmentMembership> leaving = new ArrayList<>();
        for (SegmentMembership m : valuesWithPrefix(members, workspace)) {
            if (m.getSegmentId().equals(removed.getSegmentId())) {
                leaving.add(m);
            }
        }
        for (SegmentMembership m : leaving) {
            members.delete(memberKey(workspace, m.getCustomerId(), m.getSegmentId()));
            forward(SegmentMembership.newBuilder(m).setMember(false).setViaRule(false).setViaProfile(false)
                    .setCause(CAUSE_SEGMENT).setChangedAt(Instant.ofEpochMilli(timestamp)).build(), timestamp);
        }
    }

    private void evaluate(String workspace, String customer, CustomerSegment segment, CustomerFacts facts, String cause, long timestamp) {
        SegmentRule rule = ruleOf(segment);
        boolean viaRule = rule != null && facts.known() && rule.evaluate(facts) == Truth.TRUE;
        boolean viaProfile = facts.profile() != null && segment.getSegmentName().equals(facts.profile().getCustomerSegment());
        boolean member = viaRule || viaProfile;
        String key = memberKey(workspace, customer, segment.getSegmentId());
        SegmentMembership previous = members.get(key);
        boolean wasMember = previous != null && previous.getMember();
        boolean wasViaRule = previous != null && previous.getViaRule();
        boolean wasViaProfile = previous != null && previous.getViaProfile();
        if (member == wasMember && viaRule == wasViaRule && viaProfile == wasViaProfile) {
            return;
        }
        SegmentMembership next = new SegmentMembership(workspace, segment.getSegmentId(), segment.getSegmentName(), customer,
                member, viaRule, viaProfile, cause, Instant.ofEpochMilli(timestamp));
        if (member) {
            members.put(key, next);
        } else {
            members.delete(key); // absent = not a member by any reason
        }
        forward(next, timestamp);
    }

    private void forward(SegmentMembership membership, long timestamp) {
        context.forward(new Record<>(Topics.key(membership.getWorkspaceId(), membership.getCustomerId()), membership, timestamp));
    }

    private SegmentRule ruleOf(CustomerSegment segment) {
        String text = segment.getSegmentRules();
        if (text == null || text.isBlank()) {
            return null;
        }
        String key = Topics.key(segment.getWorkspaceId(), segment.getSegmentId());
        ParsedRule parsed = rules.get(key);
        if (parsed == null || !Objects.equals(parsed.text(), text)) {
            SegmentRule rule = null;
            try {
                rule = SegmentRule.parse(text);
            } catch (RuleSyntaxException e) {
                // The gateway refuses such rules; one can still arrive from another producer.
                LOG.warn("segment {}: rule does not parse, no member by rule: {}", key, e.getMessage());
            }
            parsed = new ParsedRule(text, rule);
            rules.put(key, parsed);
        }
        return parsed.rule();
    }

    /** The workspace's segments in key order (the store's order), loaded from the store on first use. */
    private Map<String, CustomerSegment> segmentsOf(String workspace) {
        return segmentsByWorkspace.computeIfAbsent(workspace, ws -> {
            Map<String, CustomerSegment> loaded = new java.util.TreeMap<>();
            try (KeyValueIterator<String, CustomerSegment> it = segments.prefixScan(ws + "|", KEYS)) {
                it.forEachRemaining(kv -> loaded.put(kv.key, kv.value));
            }
            return loaded;
        });
    }

    private CustomerStats statsOf(String customerKey) {
        ValueAndTimestamp<CustomerAggregate> aggregate = aggregates.get(customerKey);
        return aggregate == null ? null : aggregate.value().getStats();
    }

    private static <V> List<V> valuesWithPrefix(KeyValueStore<String, V> store, String workspace) {
        List<V> values = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.prefixScan(workspace + "|", KEYS)) {
            it.forEachRemaining(kv -> values.add(kv.value));
        }
        return values;
    }

    private static String workspaceOf(String key) {
        return key.substring(0, key.indexOf('|'));
    }

    static String memberKey(String workspace, String customer, String segmentId) {
        return workspace + "|" + customer + "|" + segmentId;
    }
}
