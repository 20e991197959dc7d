package io.tributary.platform.health;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A workspace's health-score settings (seed 004): its attribute and metric definitions (codename →
 * type; the system attributes always exist besides), its scoring configuration (none: uploads are
 * refused with 490), its members (who get notifications, and whom an upload's owner_email links
 * to) and an optional webhook URL. One record per workspace on {@value HealthSettingsStore#TOPIC}.
 */
public record HealthSettings(String workspaceId, Map<String, ValueKind> attributes, Map<String, ValueKind> metrics, ScoringConfig scoring,
                             List<Member> members, String webhookUrl, long updatedAt) {
    /** Attributes every workspace has (seed 004). */
    public static final Map<String, ValueKind> SYSTEM_ATTRIBUTES = Map.of(
            "crm_link", ValueKind.STRING, "contact_email", ValueKind.STRING, "renewal_date", ValueKind.DATE);

    public HealthSettings {
        Objects.requireNonNull(workspaceId);
        attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
        metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(metrics));
        members = members == null ? List.of() : members.stream().sorted(Comparator.comparing(Member::email)).toList();
    }

    /** The settings of a workspace that has configured nothing. */
    public static HealthSettings empty(String workspaceId) {
        return new HealthSettings(workspaceId, Map.of(), Map.of(), null, List.of(), null, 0);
    }

    /** The type of attribute {@code codename}, system attributes included; empty when it is not defined. */
    public Optional<ValueKind> attributeKind(String codename) {
        ValueKind system = SYSTEM_ATTRIBUTES.get(codename);
        return system != null ? Optional.of(system) : Optional.ofNullable(attributes.get(codename));
    }

    public Optional<ValueKind> metricKind(String codename) {
        return Optional.ofNullable(metrics.get(codename));
    }

    /** Every attribute definition, system ones included, by codename. */
    public Map<String, ValueKind> allAttributes() {
        TreeMap<String, ValueKind> all = new TreeMap<>(attributes);
        all.putAll(SYSTEM_ATTRIBUTES);
        return all;
    }

    public Optional<ScoringConfig> scoringConfig() {
        return Optional.ofNullable(scoring);
    }

    public Optional<Member> member(String email) {
        return members.stream().filter(m -> m.email().equalsIgnoreCase(email)).findFirst();
    }

    public HealthSettings withAttributes(Map<String, ValueKind> next, long at) {
        return new HealthSettings(workspaceId, next, metrics, scoring, members, webhookUrl, at);
    }

    public HealthSettings withMetrics(Map<String, ValueKind> next, long at) {
        return new HealthSettings(workspaceId, attributes, next, scoring, members, webhookUrl, at);
    }

    public HealthSettings withScoring(ScoringConfig next, long at) {
        return new HealthSettings(workspaceId, attributes, metrics, next, members, webhookUrl, at);
    }

    public HealthSettings withMembers(List<Member> next, long at) {
        return new HealthSettings(workspaceId, attributes, metrics, scoring, next, webhookUrl, at);
    }

    public HealthSettings withWebhookUrl(String next, long at) {
        return new HealthSettings(workspaceId, attributes, metrics, scoring, members, next, at);
    }

    /** A member of the workspace: who gets notifications, and whom an upload's owner_email links a customer to. */
    public record Member(String email, String name) {
        public Member {
            Objects.requireNonNull(email);
        }
    }
}
