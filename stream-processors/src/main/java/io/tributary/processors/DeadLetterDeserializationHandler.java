package io.tributary.processors;

import io.tributary.processors.sink.DeadLetters;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record a Kafka Streams application cannot decode (not Avro, an unknown schema id, truncated
 * bytes) goes to {@code dead_letter} with the reason, and the application goes on with the next
 * record. Without it the stream thread dies on the record, is replaced, and dies again on the same
 * offset: one bad record written straight to a topic would stop the statistics for good.
 *
 * <p>The dead letter is written by the processors' shared non-transactional producer, before the
 * task's transaction commits: if the task fails before its commit the record is read and
 * dead-lettered again. A duplicate dead letter is harmless; a lost one would hide data.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
    /** Streams config key whose value is the {@link DeadLetters} instance to write to (an object, not a string). */
    public static final String DEAD_LETTERS_CONFIG = "tributary.dead.letters";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private DeadLetters deadLetters;
    private String consumer;

    @Override
    public void configure(Map<String, ?> configs) {
        if (!(configs.get(DEAD_LETTERS_CONFIG) instanceof DeadLetters letters)) {
            throw new ConfigException(DEAD_LETTERS_CONFIG, configs.get(DEAD_LETTERS_CONFIG), "must be a DeadLetters instance");
        }
        this.deadLetters = letters;
        this.consumer = "streams:" + configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
    }

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        String reason = DeadLetters.reason(exception);
        try {
            deadLetters.send(record, consumer, reason);
        } catch (RuntimeException e) {
            // not written anywhere: stop rather than skip it (the thread is replaced and tries again)
            LOG.error("{}: cannot dead-letter undecodable {}-{}@{}: {}", consumer, record.topic(), record.partition(), record.offset(), e.getMessage());
            return DeserializationHandlerResponse.FAIL;
        }
        LOG.warn("{}: undecodable record {}-{}@{} sent to {}: {}", consumer, record.topic(), record.partition(), record.offset(),
                DeadLetters.TOPIC, reason);
        return DeserializationHandlerResponse.CONTINUE;
    }
}
