package io.tributary.processors.stats;

import io.tributary.schemas.avro.CustomerEvent;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Clears an event's session_id, product_id and category_id when the customer's earlier events
 * already carried that id, so the aggregate after it counts distinct ids by counting the ids that
 * are left. The ids seen live in their own store ({@value CustomerStatsTopology#COUNTED_IDS_STORE},
 * one small entry per customer and id) rather than in the aggregate: an aggregate holding every
 * id is read and rewritten whole on each event, which made a customer's n-th event cost O(n).
 * Aggregates written before this store existed carry their ids in arrays of their own, which
 * {@link CustomerStatsAggregator} still consults.
 */
final class ClearAlreadyCountedIds implements FixedKeyProcessor<String, CustomerEvent, CustomerEvent> {
    static final char SESSION = 's';
    static final char PRODUCT = 'p';
    static final char CATEGORY = 'c';

    private FixedKeyProcessorContext<String, CustomerEvent> context;
    private KeyValueStore<String, Long> counted;

    @Override
    public void init(FixedKeyProcessorContext<String, CustomerEvent> context) {
        this.context = context;
        this.counted = context.getStateStore(CustomerStatsTopology.COUNTED_IDS_STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, CustomerEvent> record) {
        CustomerEvent event = record.value();
        if (event == null) {
            context.forward(record);
            return;
        }
        String session = firstOccurrence(record.key(), SESSION, event.getSessionId(), record.timestamp());
        String product = firstOccurrence(record.key(), PRODUCT, event.getProductId(), record.timestamp());
        String category = firstOccurrence(record.key(), CATEGORY, event.getCategoryId(), record.timestamp());
        if (session == event.getSessionId() && product == event.getProductId() && category == event.getCategoryId()) {
            context.forward(record);
            return;
        }
        context.forward(record.withValue(CustomerEvent.newBuilder(event)
                .setSessionId(session).setProductId(product).setCategoryId(category).build()));
    }

    /** {@code id} if this customer has not had it before (and remembers it), else null. */
    private String firstOccurrence(String customerKey, char kind, String id, long timestamp) {
        if (id == null || id.isEmpty()) {
            return null;
        }
        return counted.putIfAbsent(key(customerKey, kind, id), timestamp) == null ? id : null;
    }

    /**
     * The customer key's length first, so that no customer key and id can spell another pair's
     * key (both may contain any character); the customer's ids stay adjacent in the store.
     */
    static String key(String customerKey, char kind, String id) {
        return customerKey.length() + ":" + customerKey + kind + id;
    }
}
