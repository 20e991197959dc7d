package io.tributary.platform.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A key→value table kept in a compacted topic, in the manner of Kafka Connect's KafkaBasedLog and
 * Confluent's KafkaStore: the topic is the truth, every process holds a full in-memory view of it.
 *
 * <p>{@link #start()} creates the topic if missing (compacted, one partition) and reads it from
 * the beginning to its end before returning; a background thread then tails it, so writes of
 * other processes show up. {@link #put} and {@link #remove} produce synchronously (acks=all,
 * idempotent) and return only once this table's own view has consumed the write, so a caller
 * reads its own writes. Every wait is bounded by the table's timeout and fails with Kafka's
 * {@link TimeoutException} when exceeded.
 *
 * <p>Keys and values go through the caller's serdes; a key's identity in the view is the
 * deserialized key's {@code equals}, its identity in the topic (compaction) the serialized bytes,
 * so the key serializer must be deterministic. A null value in the topic is a tombstone.
 */
public final class CompactedTopicTable<K, V> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopicTable.class);
    /** Short, because the view's positions (and so read-your-writes waits) advance once per poll. */
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);

    /** One change of the view: {@code current} empty means removed. */
    public record Change<K, V>(K key, Optional<V> previous, Optional<V> current) {
        public Change {
            Objects.requireNonNull(key);
            Objects.requireNonNull(previous);
            Objects.requireNonNull(current);
        }
    }

    private enum State { NEW, STARTED, CLOSED }

    private final KafkaClients clients;
    private final String topic;
    private final short replicationFactor;
    private final Serde<K> keySerde;
    private final Serde<V> valueSerde;
    private final Duration timeout;
    private final String clientId;

    private final Map<K, V> view = new ConcurrentHashMap<>();
    private final List<Consumer<Change<K, V>>> listeners = new CopyOnWriteArrayList<>();
    /** Guards {@link #positions} and {@link #lastTailError}; the tailer notifies on it after each poll. */
    private final Object progress = new Object();
    private final Map<Integer, Long> positions = new HashMap<>();
    private RuntimeException lastTailError;
    private volatile boolean closing;

    private State state = State.NEW;
    private Admin admin;
    private KafkaProducer<byte[], byte[]> producer;
    private KafkaConsumer<byte[], byte[]> consumer;
    private List<TopicPartition> partitions;
    private Thread tailer;

    /**
     * @param replicationFactor used only when the topic has to be created
     * @param timeout bound of every wait: start-up load, a write and its read-back, {@link #readToEnd()}
     */
    public CompactedTopicTable(KafkaClients clients, String topic, short replicationFactor,
                               Serde<K> keySerde, Serde<V> valueSerde, Duration timeout) {
        this.clients = Objects.requireNonNull(clients);
        this.topic = Objects.requireNonNull(topic);
        this.replicationFactor = replicationFactor;
        this.keySerde = Objects.requireNonNull(keySerde);
        this.valueSerde = Objects.requireNonNull(valueSerde);
        this.timeout = Objects.requireNonNull(timeout);
        this.clientId = "table-" + topic + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
    }

    /**
     * Listens to every change of the view, on the tailer thread, in offset order. A listener added
     * before {@link #start()} also sees the initial load. It must be quick and must not call
     * {@link #put} or {@link #remove} (they wait for the thread the listener is running on).
     */
    public void addListener(Consumer<Change<K, V>> listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    /** Creates the topic if needed, loads it to its end, then keeps tailing it. */
    public synchronized void start() {
        if (state != State.NEW) {
            throw new IllegalStateException("table " + topic + " was already started");
        }
        long started = System.nanoTime();
        try {
            admin = clients.admin(clientId + "-admin");
            TopicBootstrap.ensureTopics(admin, List.of(TopicSpec.compacted(topic, 1)), replicationFactor);
            producer = clients.producer(clientId + "-writer", new ByteArraySerializer(), new ByteArraySerializer());
            consumer = clients.standaloneConsumer(clientId + "-reader", new ByteArrayDeserializer(), new ByteArrayDeserializer());
            partitions = partitionsOf(consumer);
            warnIfNotCompacted(); // after partitionsOf: a topic created a moment ago is then known to every broker
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            tailer = new Thread(this::tail, "compacted-table-" + topic);
            tailer.setDaemon(true);
            state = State.STARTED;
            tailer.start();
            readToEnd();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.debug("table {} loaded {} keys in {} ms", topic, view.size(), (System.nanoTime() - started) / 1_000_000);
    }

    public String topic() {
        return topic;
    }

    public Optional<V> get(K key) {
        return Optional.ofNullable(view.get(key));
    }

    /** A copy of the whole view. */
    public Map<K, V> snapshot() {
        return Map.copyOf(view);
    }

    /**
     * Drops {@code key} from this process's view, without writing anything, if it still maps to
     * {@code value}; listeners are not told. For tables whose entries expire (a {@code compact,delete}
     * topic deletes them from Kafka on its own), so that a long-running view stays bounded. A later
     * start loads whatever the topic still holds.
     */
    public void forget(K key, V value) {
        view.remove(key, value);
    }

    /** Writes {@code key → value} and waits until this table's view holds it; returns where Kafka stored it. */
    public RecordMetadata put(K key, V value) {
        return write(key, Objects.requireNonNull(valueSerde.serializer().serialize(topic, Objects.requireNonNull(value, "value; use remove()")),
                "the value serializer returned null"));
    }

    /**
     * Writes every entry (in order; one send each, acknowledged together, so a bulk write costs one
     * round trip rather than one per record) and waits until this table's view holds them all.
     */
    public List<RecordMetadata> putAll(List<Map.Entry<K, V>> entries) {
        requireStarted();
        long deadline = System.nanoTime() + timeout.toNanos();
        List<java.util.concurrent.Future<RecordMetadata>> sent = new java.util.ArrayList<>(entries.size());
        for (Map.Entry<K, V> entry : entries) {
            byte[] keyBytes = Objects.requireNonNull(keySerde.serializer().serialize(topic, Objects.requireNonNull(entry.getKey(), "key")));
            byte[] valueBytes = Objects.requireNonNull(valueSerde.serializer().serialize(topic, Objects.requireNonNull(entry.getValue(), "value")));
            sent.add(producer.send(new ProducerRecord<>(topic, keyBytes, valueBytes)));
        }
        List<RecordMetadata> written = new java.util.ArrayList<>(sent.size());
        Map<Integer, Long> highest = new java.util.HashMap<>();
        for (java.util.concurrent.Future<RecordMetadata> future : sent) {
            RecordMetadata at = KafkaCalls.awaitAck(future, deadline, topic);
            written.add(at);
            highest.merge(at.partition(), at.offset() + 1, Math::max);
        }
        highest.forEach((partition, offset) -> awaitPosition(partition, offset, deadline));
        return written;
    }

    /** Writes a tombstone for {@code key} and waits until this table's view has dropped it; returns where Kafka stored it. */
    public RecordMetadata remove(K key) {
        return write(key, null);
    }

    /**
     * Waits until the view has consumed everything written to the topic so far, by this process
     * or any other: afterwards the view is at least as new as the topic was when this was called.
     */
    public void readToEnd() {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> ends = endOffsets();
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            awaitPosition(end.getKey().partition(), end.getValue(), deadline);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
        }
        closing = true;
        if (tailer != null) {
            consumer.wakeup();
            try {
                tailer.join(timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (consumer != null) {
            consumer.close(); // never handed to a tailer
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    private RecordMetadata write(K key, byte[] value) {
        requireStarted();
        byte[] keyBytes = keySerde.serializer().serialize(topic, Objects.requireNonNull(key, "key"));
        if (keyBytes == null) {
            throw new IllegalArgumentException("the key serializer returned null for " + key);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        RecordMetadata written = KafkaCalls.awaitAck(producer.send(new ProducerRecord<>(topic, keyBytes, value)), deadline, topic);
        awaitPosition(written.partition(), written.offset() + 1, deadline);
        return written;
    }

    /** Waits until the tailer's next offset in {@code partition} is at least {@code offset}. */
    private void awaitPosition(int partition, long offset, long deadlineNanos) {
        synchronized (progress) {
            while (positions.getOrDefault(partition, -1L) < offset) {
                if (closing) {
                    throw new IllegalStateException("table " + topic + " is closed");
                }
                long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
                if (remainingMs <= 0) {
                    throw new TimeoutException("table " + topic + " did not read up to offset " + offset + " of partition "
                            + partition + " within " + timeout.toMillis() + " ms (at " + positions.get(partition) + ")"
                            + (lastTailError == null ? "" : "; last error: " + lastTailError));
                }
                try {
                    progress.wait(remainingMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new KafkaException("interrupted while waiting for table " + topic, e);
                }
            }
        }
    }

    private void tail() {
        try {
            while (!closing) {
                try {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                        apply(record);
                    }
                    Map<Integer, Long> now = new HashMap<>();
                    for (TopicPartition tp : partitions) {
                        now.put(tp.partition(), consumer.position(tp));
                    }
                    synchronized (progress) {
                        positions.putAll(now);
                        lastTailError = null;
                        progress.notifyAll();
                    }
                } catch (WakeupException e) {
                    // close() woke us up; the loop condition ends the thread
                } catch (KafkaException e) {
                    // The clients retry transient broker trouble themselves; this is what outlasted that.
                    LOG.warn("table {}: reading the topic failed, retrying in {} ms: {}", topic, RETRY_BACKOFF.toMillis(), e.toString());
                    synchronized (progress) {
                        lastTailError = e;
                    }
                    sleepQuietly(RETRY_BACKOFF);
                }
            }
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        K key;
        V value;
        try {
            key = record.key() == null ? null : keySerde.deserializer().deserialize(topic, record.key());
            value = record.value() == null ? null : valueSerde.deserializer().deserialize(topic, record.value());
        } catch (RuntimeException e) {
            LOG.warn("table {}: skipping undecodable record at partition {} offset {}: {}", topic, record.partition(), record.offset(), e.toString());
            return;
        }
        if (key == null) {
            LOG.warn("table {}: skipping record without key at partition {} offset {}", topic, record.partition(), record.offset());
            return;
        }
        V previous = value == null ? view.remove(key) : view.put(key, value);
        if (Objects.equals(previous, value)) {
            return;
        }
        Change<K, V> change = new Change<>(key, Optional.ofNullable(previous), Optional.ofNullable(value));
        for (Consumer<Change<K, V>> listener : listeners) {
            try {
                listener.accept(change);
            } catch (RuntimeException e) {
                LOG.error("table {}: a change listener failed on key {}", topic, key, e);
            }
        }
    }

    private List<TopicPartition> partitionsOf(KafkaConsumer<byte[], byte[]> c) {
        // Right after creation the broker's metadata may not list the topic yet.
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<PartitionInfo> infos = c.partitionsFor(topic, timeout);
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(topic, p.partition())).sorted(
                        java.util.Comparator.comparingInt(TopicPartition::partition)).toList();
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("topic " + topic + " has no partitions after " + timeout.toMillis() + " ms");
            }
            sleepQuietly(Duration.ofMillis(100));
        }
    }

    private Map<TopicPartition, Long> endOffsets() {
        requireStarted();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
        try {
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((tp, info) -> ends.put(tp, info.offset()));
            return ends;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while reading end offsets of " + topic, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KafkaException ke ? ke : new KafkaException("cannot read end offsets of " + topic, e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("cannot read end offsets of " + topic + " within " + timeout.toMillis() + " ms");
        }
    }

    private void warnIfNotCompacted() {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            Config config = admin.describeConfigs(List.of(resource)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(resource);
            String policy = config == null || config.get("cleanup.policy") == null ? "" : config.get("cleanup.policy").value();
            if (!policy.contains("compact")) {
                // Without compaction the topic grows forever and start-up slows down, but nothing is lost.
                LOG.warn("topic {} has cleanup.policy={}, expected compact", topic, policy);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while describing " + topic, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("cannot check the cleanup policy of topic {}: {}", topic, e.toString());
        }
    }

    private synchronized void requireStarted() {
        if (state != State.STARTED) {
            throw new IllegalStateException("table " + topic + " is " + (state == State.NEW ? "not started" : "closed"));
        }
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
