package io.tributary.processors.stats;

import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.CustomerEvent;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Forwards an event only the first time its {@code workspace_id|event_id} is seen within the
 * retention: client retries and replays must not be counted twice. Events of one customer share
 * a partition, so one task sees every copy of an event. A fixed-key processor: the key is
 * unchanged, so the aggregation after it needs no repartition topic.
 */
final class DropReplayedEvents implements FixedKeyProcessor<String, CustomerEvent, CustomerEvent> {
    private final String storeName;
    private final long retentionMs;
    private FixedKeyProcessorContext<String, CustomerEvent> context;
    private WindowStore<String, Long> seen;

    DropReplayedEvents(String storeName, Duration retention) {
        this.storeName = storeName;
        this.retentionMs = retention.toMillis();
    }

    @Override
    public void init(FixedKeyProcessorContext<String, CustomerEvent> context) {
        this.context = context;
        this.seen = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<String, CustomerEvent> record) {
        CustomerEvent event = record.value();
        if (event == null) {
            return;
        }
        String id = Topics.key(event.getWorkspaceId(), event.getEventId());
        long now = record.timestamp();
        try (WindowStoreIterator<Long> earlier = seen.fetch(id, Instant.ofEpochMilli(Math.max(0, now - retentionMs)), Instant.ofEpochMilli(now))) {
            if (earlier.hasNext()) {
                return;
            }
        }
        seen.put(id, now, now);
        context.forward(record);
    }
}
