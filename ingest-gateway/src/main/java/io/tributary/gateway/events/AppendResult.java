package io.tributary.gateway.events;

import io.tributary.platform.http.ErrorDetail;
import java.util.List;

/**
 * What became of an Events API write whose every row Kafka acknowledged.
 *
 * @param successfulRows  rows produced to the datasource topic
 * @param quarantinedRows rows produced to the quarantine topic
 * @param problems        the first {@link EventsService#MAX_REPORTED_PROBLEMS} rejected rows: row (line), field, reason
 * @param visibility      whether the store sink is known to have applied the rows
 */
public record AppendResult(long successfulRows, long quarantinedRows, List<ErrorDetail> problems, Visibility visibility) {

    public enum Visibility {
        /** The client did not ask ({@code wait} absent or false). */
        NOT_REQUESTED,
        /** The sink committed past every row: a read now sees them. */
        CONFIRMED,
        /** The wait timed out: the rows are durable in Kafka but maybe not yet readable. */
        NOT_CONFIRMED
    }

    public AppendResult {
        problems = List.copyOf(problems);
    }

    /** Every row was invalid (they all went to quarantine). */
    public boolean allRejected() {
        return successfulRows == 0 && quarantinedRows > 0;
    }
}
