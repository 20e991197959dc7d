package io.tributary.platform.entities;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/**
 * A customer insight as seed 000's API shows it, field for field: the gateway renders it from the
 * record it wrote, the query API from the store row, so both answer the same shape. Timestamps are
 * unix seconds, as in the seed.
 */
@JsonPropertyOrder({"id", "customer_id", "insight_type", "details", "created_at", "updated_at"})
public record CustomerInsightView(
        @JsonProperty("id") String id,
        @JsonProperty("customer_id") String customerId,
        @JsonProperty("insight_type") String insightType,
        @JsonProperty("details") String details,
        @JsonProperty("created_at") long createdAt,
        @JsonProperty("updated_at") long updatedAt) {

    /** The collection's path; an entity's is PATH/{id}. */
    public static final String PATH = "/v1/customer-insights";
    /** Body fields of a create: all required. */
    public static final List<String> CREATE_FIELDS = List.of("customer_id", "insight_type", "details");
    /** Body fields of an update (seed 000 names insight_type and details; its prose also allows the customer). */
    public static final List<String> UPDATE_FIELDS = List.of("customer_id", "insight_type", "details");
    /** Filters of the list route, besides the page parameters. */
    public static final List<String> LIST_FILTERS = List.of("customer_id", "insight_type");

    public CustomerInsightView {
        Objects.requireNonNull(id);
    }
}
