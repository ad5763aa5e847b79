package dev.grantflow.grant.kafka;

import dev.grantflow.grant.domain.CatchUp;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer that rebuilds its state from compacted partitions: every assigned partition is read again from the
 * beginning, and the listener tracks when the end offsets seen at assignment have been reached.
 */
abstract class RebuildingRebalanceListener implements KafkaConsumerRebalanceListener {

    private final CatchUp catchUp = new CatchUp();

    @Override
    public final void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        consumer.seekToBeginning(partitions);
        catchUp.assigned(byPartition(consumer.beginningOffsets(partitions)), byPartition(consumer.endOffsets(partitions)));
        assigned(consumer, partitions);
    }

    @Override
    public final void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Set<Integer> numbers = numbers(partitions);
        catchUp.revoked(numbers);
        revoked(numbers);
    }

    /** After a new assignment was set to be read from the beginning. */
    void assigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    }

    /** After partitions were taken away. */
    void revoked(Set<Integer> partitions) {
    }

    /** A record of {@code partition} at {@code offset} was handled. */
    void consumed(int partition, long offset) {
        catchUp.consumed(partition, offset);
    }

    public boolean caughtUp() {
        return catchUp.caughtUp();
    }

    public long lag() {
        return catchUp.lag();
    }

    static Set<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
    }

    private static Map<Integer, Long> byPartition(Map<TopicPartition, Long> offsets) {
        return offsets.entrySet().stream().collect(Collectors.toMap(e -> e.getKey().partition(), Map.Entry::getValue));
    }
}
