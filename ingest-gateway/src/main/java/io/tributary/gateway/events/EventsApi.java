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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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

    /** The topics the gateway writes: every datasource's topic and {@code quarantine}, each with {@code partitions}. */
    public static List<TopicSpec> topics(int partitions) {
        Set<String> names = new LinkedHashSet<>();
        for (Datasource ds : Datasources.all()) {
            names.add(ds.topic());
        }
        names.add(Topics.QUARANTINE);
        List<TopicSpec> specs = new ArrayList<>();
        for (String name : names) {
            specs.add(TopicSpec.appendOnly(name, partitions));
        }
        return List.copyOf(specs);
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
