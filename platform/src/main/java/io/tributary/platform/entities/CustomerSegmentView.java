package io.tributary.platform.entities;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A customer segment as seed 001's API shows it, plus {@code criteria_type}: {@code rule} when the
 * criteria parse in the rule language and membership is evaluated live, {@code text} when they are
 * documentation only. Segments of the Events API (seed 002's customer_segments) are the same
 * entities and show through {@link #of} the same way.
 */
@JsonPropertyOrder({"id", "name", "criteria", "criteria_type", "description", "created_at", "updated_at"})
public record CustomerSegmentView(
        @JsonProperty("id") String id,
        @JsonProperty("name") String name,
        @JsonProperty("criteria") String criteria,
        @JsonProperty("criteria_type") String criteriaType,
        @JsonProperty("description") String description,
        @JsonProperty("created_at") long createdAt,
        @JsonProperty("updated_at") long updatedAt) {

    public static final String RULE = "rule";
    public static final String TEXT = "text";
    /** The collection's path; an entity's is PATH/{id}. */
    public static final String PATH = "/v1/customer-segments";
    /** Body fields of a create: all required. */
    public static final List<String> CREATE_FIELDS = List.of("name", "criteria", "description");
    /** Body fields of an update. */
    public static final List<String> UPDATE_FIELDS = CREATE_FIELDS;
    /** Filters of the list route, besides the page parameters. */
    public static final List<String> LIST_FILTERS = List.of("name", "criteria");

    public CustomerSegmentView {
        Objects.requireNonNull(id);
        Objects.requireNonNull(criteriaType);
    }

    /**
     * The view of a stored segment, whichever API wrote it: criteria are the Fin X text when there
     * is one, else the Events API's rule; created_at falls back to the row's ingestion time (Events
     * API rows carry no creation time); updated_at is the ingestion time of the latest version.
     */
    public static CustomerSegmentView of(String segmentId, String segmentName, String segmentDescription, String criteria,
                                         String segmentRules, Instant createdAt, Instant ingestedAt) {
        return new CustomerSegmentView(segmentId, segmentName, criteria != null ? criteria : segmentRules,
                segmentRules != null ? RULE : TEXT, segmentDescription,
                (createdAt != null ? createdAt : ingestedAt).getEpochSecond(), ingestedAt.getEpochSecond());
    }
}
