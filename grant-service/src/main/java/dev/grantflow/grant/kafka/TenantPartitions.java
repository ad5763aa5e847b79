package dev.grantflow.grant.kafka;

import dev.grantflow.grant.domain.CatchUp;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;
import java.util.Collection;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Every instance reads every tenants partition (its own consumer group) from the beginning, and tracks when it has
 * caught up with the end offsets of the assignment.
 */
@ApplicationScoped
@Identifier("tenants-rebalance")
@Default
public class TenantPartitions implements KafkaConsumerRebalanceListener {

    private final CatchUp catchUp = new CatchUp();

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        consumer.seekToBeginning(partitions);
        catchUp.assigned(GrantPartitions.byPartition(consumer.beginningOffsets(partitions)),
                GrantPartitions.byPartition(consumer.endOffsets(partitions)));
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        catchUp.revoked(partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet()));
    }

    void consumed(int partition, long offset) {
        catchUp.consumed(partition, offset);
    }

    public boolean caughtUp() {
        return catchUp.caughtUp();
    }

    public long lag() {
        return catchUp.lag();
    }
}
