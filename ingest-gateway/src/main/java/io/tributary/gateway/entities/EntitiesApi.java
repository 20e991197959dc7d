package io.tributary.gateway.entities;

import io.tributary.platform.auth.RequestAuth;
import io.tributary.platform.http.HttpRoutes;
import io.tributary.platform.kafka.CompactedTopicTable;
import io.tributary.platform.kafka.ConsumerGroupProgress;
import io.tributary.platform.kafka.KafkaClients;
import io.tributary.platform.kafka.TopicSpec;
import io.tributary.schemas.Topics;
import io.tributary.platform.auth.Workspaces;
import io.tributary.schemas.avro.Customer;
import io.tributary.schemas.avro.CustomerInsight;
import io.tributary.schemas.avro.CustomerSegment;
import io.tributary.schemas.registry.SchemaRegistry;
import io.tributary.schemas.serde.AvroSerdes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The write side of the entity resources (seed 000's customer insights, seed 001's customer
 * segments, seed 003's customers), wired: one view of each compacted topic, and the routes. What a launcher creates,
 * mounts and closes; the {@link ConsumerGroupProgress} belongs to the caller.
 */
public final class EntitiesApi implements AutoCloseable {
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    private final List<CompactedTopicTable<String, ?>> tables = new ArrayList<>();
    private final List<HttpRoutes> routes = new ArrayList<>();
    private CustomerWrites customers;

    public EntitiesApi(KafkaClients kafka, SchemaRegistry registry, RequestAuth auth, Workspaces workspaces,
                       ConsumerGroupProgress sinkProgress, short replicationFactor, Duration waitTimeout) {
        try {
            add(CustomerInsightCodec.CODEC, CustomerInsight.class, kafka, registry, auth, sinkProgress, replicationFactor, waitTimeout);
            add(CustomerSegmentCodec.CODEC, CustomerSegment.class, kafka, registry, auth, sinkProgress, replicationFactor, waitTimeout);
            CompactedTopicTable<String, Customer> customers = new CompactedTopicTable<>(kafka, Topics.CUSTOMERS, replicationFactor,
                    Serdes.String(), AvroSerdes.specificValue(registry, Customer.class), KAFKA_TIMEOUT);
            tables.add(customers);
            CustomerWrites writes = CustomerWrites.start(customers, sinkProgress, waitTimeout, Clock.systemUTC());
            this.customers = writes;
            routes.add(new CustomerWriteRoutes(writes, auth, workspaces));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private <T extends SpecificRecord> void add(EntityCodec<T> codec, Class<T> type, KafkaClients kafka, SchemaRegistry registry,
                                                RequestAuth auth, ConsumerGroupProgress sinkProgress, short replicationFactor,
                                                Duration waitTimeout) {
        CompactedTopicTable<String, T> table = new CompactedTopicTable<>(kafka, codec.topic(), replicationFactor, Serdes.String(),
                AvroSerdes.specificValue(registry, type), KAFKA_TIMEOUT);
        tables.add(table);
        table.start();
        routes.add(new EntityWriteRoutes<>(new EntityWrites<>(codec, new CompactedWrites<>(table, codec.topic(), sinkProgress, waitTimeout),
                Clock.systemUTC()), auth));
    }

    /**
     * The compacted topics these resources write, each with {@code partitions} (customer_segments is
     * the Events API's too). customers is compacted within {@code piiScrubWithin}: the versions a
     * soft delete supersedes, which hold the PII it scrubs, are gone from the topic by then.
     */
    public static List<TopicSpec> topics(int partitions, Duration piiScrubWithin) {
        return List.of(TopicSpec.compacted(Topics.CUSTOMER_INSIGHTS, partitions), TopicSpec.compacted(Topics.CUSTOMER_SEGMENTS, partitions),
                TopicSpec.compactedWithin(Topics.CUSTOMERS, partitions, piiScrubWithin));
    }

    /** The customers' writer, which seed 004's uploads share with seed 003's routes (one entity, one index of externalIds). */
    public CustomerWrites customers() {
        return customers;
    }

    public List<HttpRoutes> routes() {
        return List.copyOf(routes);
    }

    @Override
    public void close() {
        tables.forEach(CompactedTopicTable::close);
    }
}
