package io.tributary.gateway.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.platform.auth.RequestAuth;
import io.tributary.platform.http.HttpRoutes;
import io.tributary.platform.kafka.ConsumerGroupProgress;
import io.tributary.platform.kafka.KafkaClients;
import io.tributary.platform.kafka.TopicSpec;
import io.tributary.schemas.Datasource;
import io.tributary.schemas.Datasources;
import io.tributary.schemas.Topics;
import io.tributary.schemas.registry.SchemaRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

/**
 * The Events API of the gateway, wired: what a launcher creates, mounts and closes.
 *
 * <pre>{@code
 * TopicBootstrap.ensureTopics(admin, EventsApi.topics(6), replication);
 * EventsApi events = new EventsApi(clients, registry, auth, ConsumerGroupProgress.start(admin), meters, EventsLimits.defaults());
 * HttpServer.start(host, port, maxBody, meters, readiness, List.of(events.routes(), ...));
 * }</pre>
 * The {@link ConsumerGroupProgress} belongs to the caller (it may be shared); the producer is
 * this object's and closes with it.
 */
public final class EventsApi implements AutoCloseable {
    private final EventsService service;
    private final EventsApiRoutes routes;

    public EventsApi(KafkaClients kafka, SchemaRegistry registry, RequestAuth auth, ConsumerGroupProgress sinkProgress,
                     MeterRegistry meters, EventsLimits limits) {
        this.service = new EventsService(kafka, registry, sinkProgress, meters, limits);
        this.routes = new EventsApiRoutes(service, auth, limits);
    }

    /**
     * The topics the gateway writes, each with {@code partitions} (the same count everywhere, so
     * that a customer's events and profile are co-partitioned): every datasource's topic,
     * compacted for upsert datasources, and {@code quarantine}.
     */
    public static List<TopicSpec> topics(int partitions) {
        Map<String, TopicSpec> specs = new LinkedHashMap<>();
        for (Datasource ds : Datasources.all()) {
            specs.put(ds.topic(), ds.mode() == Datasource.Mode.UPSERT
                    ? TopicSpec.compacted(ds.topic(), partitions) : TopicSpec.appendOnly(ds.topic(), partitions));
        }
        specs.put(Topics.QUARANTINE, TopicSpec.appendOnly(Topics.QUARANTINE, partitions));
        return List.copyOf(specs.values());
    }

    public HttpRoutes routes() {
        return routes;
    }

    public EventsService service() {
        return service;
    }

    @Override
    public void close() {
        service.close();
    }
}
