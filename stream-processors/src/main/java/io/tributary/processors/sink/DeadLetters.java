package io.tributary.processors.sink;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Records a sink or a Kafka Streams application cannot decode go to the {@code dead_letter} topic,
 * bytes untouched, with the consumer that gave up on them, the source topic/partition/offset and the
 * reason in headers, so processing goes on and nothing is silently dropped.
 */
public final class DeadLetters {
    public static final String TOPIC = "dead_letter";

    private final Producer<byte[], byte[]> producer;

    public DeadLetters(Producer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    /** The reason header for a record {@code cause} could not decode: its message, or its class when it has none. */
    public static String reason(Exception cause) {
        return cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
    }

    /**
     * Sends synchronously: the consumer commits the offset right after, so the send must be durable.
     * {@code consumer} names who could not decode it: {@code sink:<name>} or {@code streams:<application id>}.
     */
    public void send(ConsumerRecord<byte[], byte[]> record, String consumer, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("tributary.consumer", consumer.getBytes(StandardCharsets.UTF_8));
        headers.add("tributary.source.topic", record.topic().getBytes(StandardCharsets.UTF_8));
        headers.add("tributary.source.partition", Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add("tributary.source.offset", Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        headers.add("tributary.reason", reason.getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(new ProducerRecord<>(TOPIC, null, record.timestamp(), record.key(), record.value(), headers))
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing a dead letter", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot write dead letter for " + record.topic() + "-" + record.partition()
                    + "@" + record.offset() + ": " + e.getMessage(), e);
        }
    }
}
