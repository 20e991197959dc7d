package io.tributary.processors.sink;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a {@link StoreSink} reads and where its progress goes. The processors role's sinks are
 * {@link #GROUP}: subscribed in the sink's consumer group, progress committed there, never done. A
 * replay reads a fixed {@link Range} with a consumer outside any group, so the live sinks' groups
 * and offsets are untouched; it is done once every partition's position reaches the range's end.
 */
interface SinkInput {

    /** Subscribes or assigns; {@code onRevoke} is what a group member does before losing partitions. */
    void open(Consumer<byte[], byte[]> consumer, String topic, ConsumerRebalanceListener onRevoke);

    /** Whether {@code record} is to be written (a range ignores records past its end). */
    boolean accepts(ConsumerRecord<byte[], byte[]> record);

    /** Whether there is nothing more to read; called on the sink's thread after each poll. */
    boolean finished(Consumer<byte[], byte[]> consumer);

    /** Records that everything polled so far is written: {@code offsets} are the positions of the partitions that had records. */
    void commit(Consumer<byte[], byte[]> consumer, Map<TopicPartition, OffsetAndMetadata> offsets);

    SinkInput GROUP = new SinkInput() {
        @Override
        public void open(Consumer<byte[], byte[]> consumer, String topic, ConsumerRebalanceListener onRevoke) {
            consumer.subscribe(List.of(topic), onRevoke);
        }

        @Override
        public boolean accepts(ConsumerRecord<byte[], byte[]> record) {
            return true;
        }

        @Override
        public boolean finished(Consumer<byte[], byte[]> consumer) {
            return false;
        }

        @Override
        public void commit(Consumer<byte[], byte[]> consumer, Map<TopicPartition, OffsetAndMetadata> offsets) {
            if (!offsets.isEmpty()) {
                consumer.commitSync(offsets);
            }
        }
    };

    /**
     * The offsets {@code [from, to)} of some partitions of one topic. Progress is kept here, not in
     * Kafka: {@link #done()} may be read from any thread while the sink's thread writes it.
     */
    final class Range implements SinkInput {
        private final Map<TopicPartition, Long> from;
        private final Map<TopicPartition, Long> to;
        private final Map<TopicPartition, Long> written = new ConcurrentHashMap<>();

        Range(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
            if (!from.keySet().equals(to.keySet())) {
                throw new IllegalArgumentException("a range needs a start and an end for the same partitions: " + from.keySet() + " vs " + to.keySet());
            }
            this.from = Map.copyOf(from);
            this.to = Map.copyOf(to);
            this.from.forEach(written::put);
        }

        /** Offsets in the range: records, and transaction markers, which take offsets too. */
        long total() {
            return to.keySet().stream().mapToLong(tp -> Math.max(0, to.get(tp) - from.get(tp))).sum();
        }

        /** Offsets written so far (or passed: markers, records a sink sent to dead_letter). */
        long done() {
            return written.entrySet().stream().mapToLong(e -> Math.max(0, Math.min(e.getValue(), to.get(e.getKey())) - from.get(e.getKey()))).sum();
        }

        @Override
        public void open(Consumer<byte[], byte[]> consumer, String topic, ConsumerRebalanceListener onRevoke) {
            Set<TopicPartition> pending = to.keySet().stream().filter(tp -> from.get(tp) < to.get(tp)).collect(Collectors.toSet());
            consumer.assign(pending);
            pending.forEach(tp -> consumer.seek(tp, from.get(tp)));
        }

        @Override
        public boolean accepts(ConsumerRecord<byte[], byte[]> record) {
            Long end = to.get(new TopicPartition(record.topic(), record.partition()));
            return end != null && record.offset() < end;
        }

        /** Pauses the partitions that reached their end, so that records written since the replay began are not fetched. */
        @Override
        public boolean finished(Consumer<byte[], byte[]> consumer) {
            Collection<TopicPartition> assigned = consumer.assignment();
            List<TopicPartition> reached = assigned.stream().filter(tp -> consumer.position(tp) >= to.get(tp)).toList();
            consumer.pause(reached);
            return reached.size() == assigned.size();
        }

        @Override
        public void commit(Consumer<byte[], byte[]> consumer, Map<TopicPartition, OffsetAndMetadata> offsets) {
            // every polled record is written when this runs, so the position (past markers and skipped records) is safe to count
            for (TopicPartition tp : consumer.assignment()) {
                written.put(tp, Math.min(consumer.position(tp), to.get(tp)));
            }
        }
    }
}
