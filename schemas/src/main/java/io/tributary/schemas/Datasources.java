package io.tributary.schemas;

import io.tributary.schemas.avro.CustomerEvent;
import io.tributary.schemas.avro.CustomerProfile;
import io.tributary.schemas.avro.CustomerSegment;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The datasources the Events API accepts, by name. */
public final class Datasources {
    public static final Datasource CUSTOMER_EVENTS = new Datasource(
            "customer_events", Topics.CUSTOMER_EVENTS, CustomerEvent.getClassSchema(), "customer_id",
            List.of("workspace_id", "ingested_at"), Datasource.Mode.APPEND);

    public static final Datasource CUSTOMER_PROFILES = new Datasource(
            "customer_profiles", Topics.CUSTOMER_PROFILES, CustomerProfile.getClassSchema(), "customer_id",
            List.of("workspace_id", "ingested_at"), Datasource.Mode.UPSERT);

    public static final Datasource CUSTOMER_SEGMENTS = new Datasource(
            "customer_segments", Topics.CUSTOMER_SEGMENTS, CustomerSegment.getClassSchema(), "segment_id",
            List.of("workspace_id", "ingested_at"), Datasource.Mode.UPSERT, List.of("criteria", "created_at"));

    private static final Map<String, Datasource> BY_NAME = List.of(CUSTOMER_EVENTS, CUSTOMER_PROFILES, CUSTOMER_SEGMENTS).stream()
            .collect(Collectors.toUnmodifiableMap(Datasource::name, Function.identity()));

    private Datasources() {
    }

    public static Optional<Datasource> byName(String name) {
        return Optional.ofNullable(name).map(BY_NAME::get);
    }

    public static List<Datasource> all() {
        return List.copyOf(BY_NAME.values());
    }
}
