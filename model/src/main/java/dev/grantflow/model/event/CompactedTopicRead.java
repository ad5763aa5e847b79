package dev.grantflow.model.event;

import dev.grantflow.model.control.Deadline;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Reading a (compacted) topic from its beginning to the end it had when the read started, as a pure algorithm over
 * the few consumer operations it needs, so that the model stays free of Kafka and the loop is tested without a
 * broker. A Kafka adapter assigns a consumer to every partition, seeks to the beginning, takes the end offsets and
 * passes {@code consumer::position} and {@code () -> consumer.poll(...)} as a {@link Log}.
 *
 * <p>The read is over when every partition's position has reached its end offset. Records polled beyond an end
 * offset (written after the read started) are still handed over: they are newer, never older, than what the end
 * offsets promised. A {@link Deadline} that passes before the end throws {@link IllegalStateException} naming the
 * partitions still behind.
 */
public final class CompactedTopicRead {

    private CompactedTopicRead() {
    }

    /**
     * What the read needs from a consumer that is assigned to {@code partitions} and positioned at their beginning.
     *
     * @param topic      the topic's name, for messages
     * @param partitions every partition of the topic
     * @param endOffsets each partition's end offset when the read starts (Kafka's {@code endOffsets})
     * @param position   a partition's next offset to read (Kafka's {@code position})
     * @param poll       one short poll (Kafka's {@code poll(Duration)}); may return no records
     * @param <P>        the partition type
     * @param <R>        the record type
     */
    public record Log<P, R>(String topic, Collection<P> partitions, Map<P, Long> endOffsets, ToLongFunction<P> position,
                            Supplier<? extends Iterable<? extends R>> poll) {

        public Log {
            Objects.requireNonNull(topic, "topic");
            partitions = List.copyOf(partitions);
            endOffsets = Map.copyOf(endOffsets);
            Objects.requireNonNull(position, "position");
            Objects.requireNonNull(poll, "poll");
            for (P partition : partitions) {
                if (!endOffsets.containsKey(partition)) {
                    throw new IllegalArgumentException("No end offset for " + partition + " of " + topic);
                }
            }
        }

        private List<P> behind() {
            List<P> behind = new ArrayList<>();
            for (P partition : partitions) {
                if (position.applyAsLong(partition) < endOffsets.get(partition)) {
                    behind.add(partition);
                }
            }
            return behind;
        }
    }

    /**
     * Polls until every partition has been read to its end offset, handing every record to {@code each} in poll
     * order.
     *
     * @throws IllegalStateException when {@code deadline} passes first
     */
    public static <P, R> void toEnd(Log<P, R> log, Deadline deadline, Consumer<? super R> each) {
        List<P> behind = log.behind();
        while (!behind.isEmpty()) {
            if (deadline.passed()) {
                StringBuilder where = new StringBuilder();
                for (P partition : behind) {
                    where.append(where.isEmpty() ? "" : ", ").append(partition).append(" at ")
                            .append(log.position().applyAsLong(partition)).append(" of ").append(log.endOffsets().get(partition));
                }
                throw new IllegalStateException("Timed out reading " + log.topic() + " to its end (" + where + ")");
            }
            for (R record : log.poll().get()) {
                each.accept(record);
            }
            behind = log.behind();
        }
    }

    /**
     * The latest value per key, read to the end: what a compacted topic says now.
     *
     * @param key   a record's key, or {@code null} to skip the record (no key, or a key that cannot be read)
     * @param value a record's value, or {@code null} to remove its key (a tombstone, or a value that cannot be read)
     * @throws IllegalStateException when {@code deadline} passes first
     */
    public static <P, R, K, V> Map<K, V> latest(Log<P, R> log, Deadline deadline, Function<? super R, ? extends K> key,
                                                Function<? super R, ? extends V> value) {
        Map<K, V> latest = new HashMap<>();
        toEnd(log, deadline, record -> {
            K k = key.apply(record);
            if (k == null) {
                return;
            }
            V v = value.apply(record);
            if (v == null) {
                latest.remove(k);
            } else {
                latest.put(k, v);
            }
        });
        return latest;
    }
}
