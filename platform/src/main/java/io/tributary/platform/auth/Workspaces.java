package io.tributary.platform.auth;

import io.javalin.http.Context;
import io.tributary.platform.http.ApiException;
import io.tributary.platform.kafka.CompactedTopicTable;
import io.tributary.platform.kafka.JsonSerde;
import io.tributary.platform.kafka.KafkaClients;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Workspace entitlements (plan features such as {@value #REVENUE_TRACKING}, which gates every
 * {@code /customers} route of seed 003), in the compacted topic {@value #TOPIC}, so every process
 * of a deployment sees a grant or a revocation within moments. A workspace without a record has
 * no entitlement.
 */
public final class Workspaces implements AutoCloseable {
    public static final String TOPIC = "_tributary_workspaces";
    public static final String REVENUE_TRACKING = "revenue-tracking";
    /** The entitlements there are. */
    public static final List<String> KNOWN_ENTITLEMENTS = List.of(REVENUE_TRACKING);

    /** A workspace's entitlements, sorted; updatedAt in epoch milliseconds. */
    public record WorkspaceRecord(String workspaceId, List<String> entitlements, long updatedAt) {
        public WorkspaceRecord {
            Objects.requireNonNull(workspaceId);
            entitlements = List.copyOf(new TreeSet<>(entitlements));
        }
    }

    private final CompactedTopicTable<String, WorkspaceRecord> table;
    private final Clock clock;

    private Workspaces(CompactedTopicTable<String, WorkspaceRecord> table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    public static Workspaces start(KafkaClients clients, short replicationFactor, Duration timeout, Clock clock) {
        CompactedTopicTable<String, WorkspaceRecord> table = new CompactedTopicTable<>(clients, TOPIC, replicationFactor,
                Serdes.String(), new JsonSerde<>(WorkspaceRecord.class), timeout);
        table.start();
        return new Workspaces(table, clock);
    }

    public WorkspaceRecord get(String workspaceId) {
        return table.get(workspaceId).orElse(new WorkspaceRecord(workspaceId, List.of(), 0));
    }

    public boolean entitled(String workspaceId, String entitlement) {
        return table.get(workspaceId).map(w -> w.entitlements().contains(entitlement)).orElse(false);
    }

    /** 403 {@code FEATURE_NOT_ENABLED} unless the caller's workspace has {@code entitlement}. */
    public void require(Principal caller, String entitlement) {
        if (!entitled(caller.workspaceId(), entitlement)) {
            throw new ApiException(403, "FEATURE_NOT_ENABLED", "workspace '" + caller.workspaceId() + "' does not have the "
                    + entitlement + " entitlement that these routes need; the operator grants it with PUT /v0/workspaces/"
                    + caller.workspaceId() + "/entitlements/" + entitlement, List.of());
        }
    }

    /** The request's caller, who must hold {@code scope} (401/403) and whose workspace must have {@code entitlement} (403). */
    public Principal requireEntitled(RequestAuth auth, Context ctx, Scope scope, String entitlement) {
        Principal principal = auth.require(ctx, scope);
        require(principal, entitlement);
        return principal;
    }

    /** Grants ({@code granted}) or revokes an entitlement; returns the workspace as it now is. */
    public WorkspaceRecord set(String workspaceId, String entitlement, boolean granted) {
        table.readToEnd();
        TreeSet<String> entitlements = new TreeSet<>(get(workspaceId).entitlements());
        boolean changed = granted ? entitlements.add(entitlement) : entitlements.remove(entitlement);
        if (!changed) {
            return get(workspaceId);
        }
        WorkspaceRecord next = new WorkspaceRecord(workspaceId, List.copyOf(entitlements), clock.millis());
        table.put(workspaceId, next);
        return next;
    }

    public Optional<WorkspaceRecord> find(String workspaceId) {
        table.readToEnd();
        return table.get(workspaceId);
    }

    @Override
    public void close() {
        table.close();
    }
}
