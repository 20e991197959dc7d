package io.tributary.processors;

import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.CustomerEvent;
import io.tributary.schemas.avro.CustomerProfile;
import io.tributary.schemas.avro.CustomerSegment;
import io.tributary.schemas.avro.CustomerStats;
import io.tributary.schemas.avro.SegmentMembership;
import io.tributary.schemas.registry.InMemorySchemaRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/** The customer-analytics topology in a TopologyTestDriver with in-memory stores, and its topics. */
public final class AnalyticsDriver implements AutoCloseable {
    public static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
    public final AnalyticsSerdes serdes = AnalyticsSerdes.of(new InMemorySchemaRegistry(1));
    public final Topology topology;
    public final TopologyTestDriver driver;
    public final TestInputTopic<String, CustomerEvent> events;
    public final TestInputTopic<String, CustomerProfile> profiles;
    public final TestInputTopic<String, CustomerSegment> segments;
    public final TestOutputTopic<String, CustomerStats> stats;
    public final TestOutputTopic<String, SegmentMembership> membership;

    public AnalyticsDriver(Duration dedupRetention) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "analytics-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        topology = CustomerAnalyticsTopology.build(serdes, dedupRetention, StateStores.IN_MEMORY);
        driver = new TopologyTestDriver(topology, props);
        events = driver.createInputTopic(Topics.CUSTOMER_EVENTS, new StringSerializer(), serdes.event().serializer(), START, Duration.ofSeconds(1));
        profiles = driver.createInputTopic(Topics.CUSTOMER_PROFILES, new StringSerializer(), serdes.profile().serializer(), START, Duration.ofSeconds(1));
        segments = driver.createInputTopic(Topics.CUSTOMER_SEGMENTS, new StringSerializer(), serdes.segment().serializer(), START, Duration.ofSeconds(1));
        stats = driver.createOutputTopic(Topics.CUSTOMER_STATS, new StringDeserializer(), serdes.stats().deserializer());
        membership = driver.createOutputTopic(Topics.SEGMENT_MEMBERSHIP, new StringDeserializer(), serdes.membership().deserializer());
    }

    public void send(CustomerEvent e) {
        events.pipeInput(Topics.key(e.getWorkspaceId(), e.getCustomerId()), e);
    }

    public void send(CustomerProfile p) {
        profiles.pipeInput(Topics.key(p.getWorkspaceId(), p.getCustomerId()), p);
    }

    public void send(CustomerSegment s) {
        segments.pipeInput(Topics.key(s.getWorkspaceId(), s.getSegmentId()), s);
    }

    @Override
    public void close() {
        driver.close();
    }
}
