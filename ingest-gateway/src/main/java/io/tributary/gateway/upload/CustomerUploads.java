package io.tributary.gateway.upload;

import io.tributary.gateway.entities.CustomerWrites;
import io.tributary.platform.health.HealthSettings;
import io.tributary.platform.kafka.KafkaCalls;
import io.tributary.platform.kafka.KafkaClients;
import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.CustomerMetrics;
import io.tributary.schemas.registry.SchemaRegistry;
import io.tributary.schemas.serde.AvroSerializer;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Seed 004's upload: validates the body against the workspace's definitions, upserts each customer
 * (the Customers API's entity, by external_id) on topic customers, and writes one record per
 * customer with its dated metrics to customer_metrics, which the health-score application scores.
 * Returns once Kafka acknowledged every record ("received and forwarded for processing").
 */
public final class CustomerUploads implements AutoCloseable {
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);

    /** What an upload did. */
    record Result(String uploadId, int received, int created, SortedSet<String> ignoredAttributes, SortedSet<String> ignoredMetrics,
                  SortedSet<String> unlinkedOwnerEmails) {
    }

    /** A valid customer as held until the upload is produced: its profile, and its dated metrics already Avro-encoded. */
    private record Held(CustomerWrites.UploadedProfile profile, byte[] metrics) {
    }

    private final CustomerWrites customers;
    private final KafkaProducer<String, byte[]> producer;
    private final AvroSerializer<CustomerMetrics> schemaIds;
    private final int maxCustomers;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public CustomerUploads(KafkaClients kafka, SchemaRegistry registry, CustomerWrites customers, int maxCustomers, Clock clock) {
        this.customers = Objects.requireNonNull(customers);
        this.producer = kafka.producer("tributary-customer-uploads", new StringSerializer(), new ByteArraySerializer());
        this.schemaIds = new AvroSerializer<>(registry, false);
        this.maxCustomers = maxCustomers;
        this.clock = Objects.requireNonNull(clock);
    }

    Result upload(String workspaceId, HealthSettings settings, InputStream body) {
        EncodedMetrics encoding = new EncodedMetrics();
        List<Held> held = new ArrayList<>();
        CustomerUploadParser.IgnoredKeys ignored = CustomerUploadParser.parse(body, settings, maxCustomers, c -> held.add(new Held(
                new CustomerWrites.UploadedProfile(c.externalId(), c.name(), c.ownerEmail(), c.attributes()), encoding.encode(c.metrics()))));
        String uploadId = "upl_" + HexFormat.of().formatHex(nextBytes());
        List<CustomerWrites.UploadedProfile> profiles = held.stream().map(Held::profile).toList();
        int created = customers.upsertUploaded(workspaceId, profiles);
        Instant now = clock.instant();
        int size = held.size();
        List<Future<RecordMetadata>> sent = new ArrayList<>(size);
        KafkaCalls.orUnavailable("the customer_metrics topic", () -> {
            int schemaId = schemaIds.schemaId(Topics.CUSTOMER_METRICS, EncodedMetrics.SCHEMA);
            for (Held h : held) {
                CustomerWrites.UploadedProfile c = h.profile();
                CustomerMetrics record = CustomerMetrics.newBuilder().setWorkspaceId(workspaceId).setExternalId(c.externalId())
                        .setName(c.name()).setOwnerEmail(c.ownerEmail()).setAttributes(new java.util.HashMap<>(c.attributes()))
                        .setMetrics(List.of()).setUploadId(uploadId).setUploadSize(size).setUploadedAt(now).build();
                byte[] value = encoding.serialize(schemaId, record, h.metrics());
                sent.add(producer.send(new ProducerRecord<>(Topics.CUSTOMER_METRICS, Topics.key(workspaceId, c.externalId()), value)));
            }
            awaitAll(sent);
            return null;
        });
        SortedSet<String> unlinked = new TreeSet<>();
        profiles.stream().map(CustomerWrites.UploadedProfile::ownerEmail).filter(Objects::nonNull)
                .filter(email -> settings.member(email).isEmpty()).forEach(unlinked::add);
        return new Result(uploadId, size, created, ignored.attributes(), ignored.metrics(), unlinked);
    }

    private byte[] nextBytes() {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return bytes;
    }

    private static void awaitAll(List<Future<RecordMetadata>> sent) {
        long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
        for (Future<RecordMetadata> f : sent) {
            KafkaCalls.awaitAck(f, deadline, Topics.CUSTOMER_METRICS);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
