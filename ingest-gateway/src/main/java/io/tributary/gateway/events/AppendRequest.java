package io.tributary.gateway.events;

import io.tributary.schemas.Datasource;
import java.util.Objects;

/**
 * One Events API write: the rows of {@code body} for {@code datasource}, posted with a token of
 * {@code workspaceId}; {@code waitForVisibility} is Tinybird's {@code wait=true}.
 */
public record AppendRequest(String workspaceId, Datasource datasource, EventsBody body, String requestId,
                            boolean waitForVisibility) {
    public AppendRequest {
        Objects.requireNonNull(workspaceId);
        Objects.requireNonNull(datasource);
        Objects.requireNonNull(body);
        Objects.requireNonNull(requestId);
    }
}
