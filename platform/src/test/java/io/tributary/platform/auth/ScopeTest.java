package io.tributary.platform.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScopeTest {

    @Test
    void theKnownActionsAreTheDesignsPlusInsightsSegmentsAndSchemas() {
        assertThat(Scope.KNOWN_ACTIONS).containsExactly("admin", "events:append", "pipes:read", "analytics:read", "ops:read",
                "links:read", "links:create", "links:update", "links:delete", "customers:upload",
                "insights:read", "insights:create", "insights:update", "insights:delete",
                "segments:read", "segments:create", "segments:update", "segments:delete", "schemas:write");
        assertThat(Scope.INSIGHTS_DELETE).isEqualTo(Scope.of("insights:delete"));
        assertThat(Scope.SEGMENTS_UPDATE).isEqualTo(Scope.parse("segments:update"));
    }

    @Test
    void parseKnownAcceptsKnownActionsWithOrWithoutAResource() {
        for (String action : Scope.KNOWN_ACTIONS) {
            assertThat(Scope.parseKnown(action).action()).isEqualTo(action);
        }
        assertThat(Scope.parseKnown(" pipes:read:customer_activity ")).isEqualTo(Scope.pipesRead("customer_activity"));
        assertThat(Scope.parseKnown("events:append:customer_events")).isEqualTo(Scope.eventsAppend("customer_events"));
    }

    @Test
    void parseKnownRejectsUnknownAndMalformedScopesListingTheValidOnes() {
        for (String bad : List.of("pipes:raed", "insights", "admin:everything", "Admin", "reports:read:x", ":read")) {
            assertThatThrownBy(() -> Scope.parseKnown(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("unknown scope '" + bad + "': expected one of admin, events:append, pipes:read")
                    .hasMessageContaining("segments:delete");
        }
    }

    @Test
    void parseStaysLenientForStoredTokens() {
        Scope legacy = Scope.parse("reports:read:q3");
        assertThat(legacy).isEqualTo(new Scope("reports:read", Optional.of("q3")));
        assertThat(legacy.known()).isFalse();
        assertThat(new TokenRecord("t1", "ws", "old", "hash", List.of("reports:read"), 0, Optional.empty()).principal()
                .can(Scope.of("reports:read"))).as("a stored token with an action unknown today still loads and works").isTrue();
        assertThatThrownBy(() -> Scope.parse("reports")).hasMessageContaining("expected admin or noun:verb[:resource]");
    }

    @Test
    void aScopeWithoutAResourceCoversEveryResourceAndAdminCoversEverything() {
        assertThat(Scope.PIPES_READ.grants(Scope.pipesRead("segment_metrics"))).isTrue();
        assertThat(Scope.pipesRead("customer_activity").grants(Scope.pipesRead("segment_metrics"))).isFalse();
        assertThat(Scope.INSIGHTS_READ.grants(Scope.INSIGHTS_CREATE)).isFalse();
        assertThat(Scope.ADMIN.grants(Scope.SEGMENTS_DELETE)).isTrue();
    }
}
