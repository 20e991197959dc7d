package io.tributary.platform.entities;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A customer as seed 003's API shows it (camelCase, times as ISO-8601 UTC): the gateway renders it
 * from the record it wrote, the query API from the store row, so both answer the same shape.
 */
@JsonPropertyOrder({"id", "externalId", "email", "name", "avatar", "clickId", "attributes", "piiAttributes", "createdAt", "updatedAt"})
public record CustomerView(
        @JsonProperty("id") String id,
        @JsonProperty("externalId") String externalId,
        @JsonProperty("email") String email,
        @JsonProperty("name") String name,
        @JsonProperty("avatar") String avatar,
        @JsonProperty("clickId") String clickId,
        @JsonProperty("attributes") Map<String, String> attributes,
        @JsonProperty("piiAttributes") List<String> piiAttributes,
        @JsonProperty("createdAt") String createdAt,
        @JsonProperty("updatedAt") String updatedAt) {

    /** The collection's path; a customer's is PATH/{id} or PATH/ext_{externalId}. */
    public static final String PATH = "/customers";
    /** The prefix that makes an id route look a customer up by its externalId. */
    public static final String EXTERNAL_ID_PREFIX = "ext_";
    /** Body fields of an update. */
    public static final List<String> FIELDS = List.of("externalId", "email", "name", "avatar", "clickId", "attributes", "piiAttributes");
    /** Body fields of a create-or-upsert: an update's, and the signup time of an imported customer. */
    public static final List<String> CREATE_FIELDS = List.of("externalId", "email", "name", "avatar", "clickId", "attributes", "piiAttributes",
            "createdAt");
    /** The fields a delete scrubs (with the attributes listed in piiAttributes). */
    public static final List<String> PII_FIELDS = List.of("email", "name", "avatar");

    public CustomerView {
        Objects.requireNonNull(id);
        attributes = java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
        piiAttributes = List.copyOf(piiAttributes);
    }

    /** The view of a customer from its parts; attributes come as parallel key and value lists (the store's columns). */
    public static CustomerView of(String id, String externalId, String email, String name, String avatar, String clickId,
                                  List<String> attributeKeys, List<String> attributeValues, List<String> piiAttributes,
                                  Instant createdAt, Instant updatedAt) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < attributeKeys.size(); i++) {
            attributes.put(attributeKeys.get(i), attributeValues.get(i));
        }
        return new CustomerView(id, externalId, email, name, avatar, clickId, attributes, piiAttributes,
                iso(createdAt), iso(updatedAt));
    }

    /** Second precision, as the stores keep times, so the gateway's answer equals every later read. */
    private static String iso(Instant at) {
        return at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }
}
