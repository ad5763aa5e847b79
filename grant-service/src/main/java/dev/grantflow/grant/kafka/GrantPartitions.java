package dev.grantflow.grant.kafka;

import dev.grantflow.grant.domain.CatchUp;
import dev.grantflow.grant.domain.GrantBook;
import dev.grantflow.grant.kube.GrantReconciler;
import dev.grantflow.model.grant.GrantKey;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.jboss.logging.Logger;

/**
 * The grants partitions this instance owns. On every assignment it seeks to the beginning, so that the desired state
 * of the assigned partitions is rebuilt from the compacted topic; on revocation it forgets their grants.
 *
 * <p>It also answers which instance owns a key, with the producer's default partitioner: only the owner deletes
 * managed objects for which no grant exists any more (e.g. after a tombstone was compacted away).
 */
@ApplicationScoped
@Identifier("grants-rebalance")
@Default
public class GrantPartitions implements KafkaConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(GrantPartitions.class);

    @Inject
    GrantBook book;

    @Inject
    GrantReconciler reconciler;

    private final CatchUp catchUp = new CatchUp();
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private volatile int partitionCount;

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        consumer.seekToBeginning(partitions);
        catchUp.assigned(byPartition(consumer.beginningOffsets(partitions)), byPartition(consumer.endOffsets(partitions)));
        partitions.stream().findFirst().ifPresent(tp -> partitionCount = consumer.partitionsFor(tp.topic()).size());
        partitions.forEach(tp -> owned.add(tp.partition()));
        LOG.infof("Grants partitions assigned %s: rebuilding from the beginning", numbers(partitions));
        reconciler.resyncWhenReady();
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Set<Integer> numbers = numbers(partitions);
        owned.removeAll(numbers);
        catchUp.revoked(numbers);
        int dropped = book.dropPartitions(numbers).size();
        LOG.infof("Grants partitions revoked %s: %d grants handed over", numbers, dropped);
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

    /** Whether this instance owns the partition of {@code key}. */
    public boolean owns(GrantKey key) {
        int count = partitionCount;
        if (count == 0) {
            return false;
        }
        byte[] bytes = key.format().getBytes(StandardCharsets.UTF_8);
        return owned.contains(Utils.toPositive(Utils.murmur2(bytes)) % count);
    }

    static Map<Integer, Long> byPartition(Map<TopicPartition, Long> offsets) {
        return offsets.entrySet().stream().collect(Collectors.toMap(e -> e.getKey().partition(), Map.Entry::getValue));
    }

    private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
    }
}
