package io.tributary.processors.segments;

import static io.tributary.processors.TestEvents.profile;
import static io.tributary.processors.TestEvents.purchase;
import static io.tributary.processors.TestEvents.segment;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.processors.AnalyticsDriver;
import io.tributary.schemas.avro.CustomerSegment;
import io.tributary.schemas.avro.SegmentMembership;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SegmentMembershipTopologyTest {
    private static final String SEED_RULE = "total_spent > 1000 AND session_count > 1";
    private final AnalyticsDriver analytics = new AnalyticsDriver(Duration.ofHours(1));

    @AfterEach
    void tearDown() {
        analytics.close();
    }

    private List<SegmentMembership> changes() {
        return analytics.membership.readKeyValuesToList().stream().map(kv -> {
            assertThat(kv.key).isEqualTo(kv.value.getWorkspaceId() + "|" + kv.value.getCustomerId());
            return kv.value;
        }).toList();
    }

    /** "c1 +vip rule event": who, entered (+) or left (-), which segment, reasons and cause. */
    private static String describe(SegmentMembership m) {
        return m.getCustomerId() + " " + (m.getMember() ? "+" : "-") + m.getSegmentName()
                + (m.getViaRule() ? " rule" : "") + (m.getViaProfile() ? " profile" : "") + " " + m.getCause();
    }

    private List<String> described() {
        return changes().stream().map(SegmentMembershipTopologyTest::describe).toList();
    }

    @Test
    void anEventMovesACustomerIntoTheSegmentAndOnlyOnce() {
        analytics.send(segment("w", "s1", "vip", SEED_RULE));
        analytics.send(purchase("w", "e1", "c1", "600.00", "sess-1"));
        assertThat(changes()).isEmpty();
        analytics.send(purchase("w", "e2", "c1", "600.00", "sess-2"));
        List<SegmentMembership> entered = changes();
        assertThat(entered).singleElement().satisfies(m -> {
            assertThat(m.getMember()).isTrue();
            assertThat(m.getViaRule()).isTrue();
            assertThat(m.getViaProfile()).isFalse();
            assertThat(m.getSegmentId()).isEqualTo("s1");
            assertThat(m.getCause()).isEqualTo("event");
            assertThat(m.getChangedAt()).isEqualTo(AnalyticsDriver.START.plusSeconds(1)); // the triggering event's timestamp (2nd on its topic)
        });
        analytics.send(purchase("w", "e3", "c1", "1.00", "sess-3"));
        assertThat(changes()).as("no record while membership does not change").isEmpty();
    }

    @Test
    void aProfileChangeMovesACustomerInAndOut() {
        analytics.send(segment("w", "s1", "parisians", "city = 'Paris'"));
        analytics.send(profile("w", "c1", "Lyon", null));
        analytics.send(profile("w", "c1", "Paris", null));
        analytics.send(profile("w", "c1", "Paris", null));
        analytics.send(profile("w", "c1", "Nice", null));
        assertThat(described()).containsExactly("c1 +parisians rule profile", "c1 -parisians profile");
    }

    @Test
    void profileOnlyCustomersHaveZeroCountsSoNegativeRulesDecideForThem() {
        analytics.send(segment("w", "s1", "no-buyers", "purchase_count = 0"));
        analytics.send(profile("w", "c1", "Lyon", null));
        assertThat(described()).containsExactly("c1 +no-buyers rule profile");
        analytics.send(purchase("w", "e1", "c1", "5.00", "s"));
        assertThat(described()).containsExactly("c1 -no-buyers event");
    }

    @Test
    void aProfilesCustomerSegmentPlacesTheCustomerInTheSegmentOfThatName() {
        analytics.send(segment("w", "s1", "vip", SEED_RULE));
        analytics.send(profile("w", "c1", "Lyon", "vip"));
        assertThat(described()).containsExactly("c1 +vip profile profile");
        analytics.send(purchase("w", "e1", "c1", "600.00", "a"));
        analytics.send(purchase("w", "e2", "c1", "600.00", "b"));
        assertThat(described()).as("the rule now holds too: a change of reasons").containsExactly("c1 +vip rule profile event");
        analytics.send(profile("w", "c1", "Lyon", null));
        assertThat(described()).as("still a member by rule").containsExactly("c1 +vip rule profile");
    }

    @Test
    void aChangedRuleReEvaluatesEveryCustomerInBothDirections() {
        analytics.send(purchase("w", "e1", "big", "2000.00", "a"));
        analytics.send(purchase("w", "e2", "big", "1.00", "b"));
        analytics.send(purchase("w", "e3", "small", "10.00", "a"));
        analytics.send(profile("w", "quiet", "Paris", null)); // no events: zero counts
        analytics.send(purchase("other", "e4", "big", "9999.00", "a")); // another workspace: never evaluated for w's segment

        analytics.send(segment("w", "s1", "spenders", "total_spent > 1000"));
        assertThat(described()).containsExactly("big +spenders rule segment");

        analytics.send(segment("w", "s1", "spenders", "total_spent <= 1000"));
        assertThat(described()).containsExactlyInAnyOrder("big -spenders segment", "small +spenders rule segment",
                "quiet +spenders rule segment");

        analytics.send(segment("w", "s1", "spenders", "total_spent > 5"));
        assertThat(described()).containsExactlyInAnyOrder("big +spenders rule segment", "quiet -spenders segment");
    }

    @Test
    void renamingASegmentMovesProfileMembers() {
        analytics.send(profile("w", "c1", "Lyon", "gold"));
        analytics.send(segment("w", "s1", "silver", null));
        assertThat(changes()).isEmpty();
        analytics.send(segment("w", "s1", "gold", null));
        assertThat(described()).containsExactly("c1 +gold profile segment");
    }

    @Test
    void aDeletedSegmentLetsItsMembersLeave() {
        analytics.send(segment("w", "s1", "spenders", "total_spent > 1"));
        analytics.send(segment("w", "s2", "others", "total_spent > 1"));
        analytics.send(purchase("w", "e1", "c1", "5.00", "a"));
        analytics.send(purchase("w", "e2", "c2", "5.00", "a"));
        assertThat(changes()).hasSize(4);

        analytics.segments.pipeInput("w|s1", (CustomerSegment) null);
        assertThat(described()).containsExactlyInAnyOrder("c1 -spenders segment", "c2 -spenders segment");
        analytics.send(purchase("w", "e3", "c1", "5.00", "b"));
        assertThat(changes()).as("the deleted segment is no longer evaluated, the other is unchanged").isEmpty();
    }

    @Test
    void aDeletedProfileRemovesProfileMembership() {
        analytics.send(segment("w", "s1", "vip", null));
        analytics.send(profile("w", "c1", "Lyon", "vip"));
        analytics.profiles.pipeInput("w|c1", null);
        assertThat(described()).containsExactly("c1 +vip profile profile", "c1 -vip profile");
    }

    @Test
    void aRuleThatDoesNotParseMatchesNoOneByRule() {
        analytics.send(purchase("w", "e1", "c1", "5.00", "a"));
        analytics.send(segment("w", "s1", "broken", "total_spent >"));
        assertThat(changes()).isEmpty();
    }

    @Test
    void membershipIsStampedWithTheTriggeringRecordsTime() {
        analytics.send(segment("w", "s1", "spenders", "total_spent > 1"));
        analytics.events.pipeInput("w|c1", purchase("w", "e1", "c1", "5.00", "a"), Instant.parse("2030-05-05T05:05:05Z"));
        assertThat(changes()).singleElement().extracting(SegmentMembership::getChangedAt).isEqualTo(Instant.parse("2030-05-05T05:05:05Z"));
        List<KeyValue<String, SegmentMembership>> none = analytics.membership.readKeyValuesToList();
        assertThat(none).isEmpty();
    }
}
