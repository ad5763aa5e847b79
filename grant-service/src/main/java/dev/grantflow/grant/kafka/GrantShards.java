package dev.grantflow.grant.kafka;

import dev.grantflow.grant.domain.ReconcileTrigger;
import dev.grantflow.grant.domain.Shards;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Shard membership: the consumer group of {@code grants-in} hands out the grants partitions, and their numbers are
 * this instance's shards of the key space ({@link Shards}). An assigned shard waits until the {@link GrantTopicReader}
 * has read every partition to the end offsets of this moment; a revoked or lost one stops at once, and the callback
 * returns (letting the group hand it to another member) only when no reconcile of its keys is still running here.
 * Works with eager and cooperative assignors alike.
 */
@ApplicationScoped
@Identifier("grants-rebalance")
public class GrantShards implements KafkaConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(GrantShards.class);

    @Inject
    Shards shards;

    @Inject
    ReconcileTrigger reconciler;

    @ConfigProperty(name = "mp.messaging.incoming.grants-in.topic")
    String topic;

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        var all = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        Map<Integer, Long> end = consumer.endOffsets(all).entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().partition(), Map.Entry::getValue));
        Set<Integer> numbers = numbers(partitions);
        shards.assigned(numbers, all.size(), end);
        LOG.infof("Grant shards %s assigned (of %d); acting on them once the view reaches %s", numbers, all.size(),
                end);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        release(partitions, "revoked");
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        release(partitions, "lost");
    }

    private void release(Collection<TopicPartition> partitions, String how) {
        if (partitions.isEmpty()) {
            return;
        }
        Set<Integer> wereActive = shards.revoked(numbers(partitions));
        boolean quiet = reconciler.awaitQuiet(wereActive);
        LOG.infof("Grant shards %s %s%s", numbers(partitions), how,
                quiet ? "" : "; a reconcile of theirs was still running when the wait ended");
    }

    private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
    }
}
