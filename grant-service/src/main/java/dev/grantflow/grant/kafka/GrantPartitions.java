package dev.grantflow.grant.kafka;

import dev.grantflow.grant.domain.GrantBook;
import dev.grantflow.grant.kube.GrantReconciler;
import dev.grantflow.model.grant.GrantKey;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.jboss.logging.Logger;

/**
 * The grants partitions this instance owns. Every assignment is read from the beginning, so that the desired state
 * of the assigned partitions is rebuilt from the compacted topic; revoked partitions' grants are forgotten.
 *
 * <p>It also answers which instance owns a key, with the producer's default partitioner: only the owner deletes
 * managed objects for which no grant exists any more (e.g. after a tombstone was compacted away).
 */
@ApplicationScoped
@Identifier("grants-rebalance")
@Default
public class GrantPartitions extends RebuildingRebalanceListener {

    private static final Logger LOG = Logger.getLogger(GrantPartitions.class);

    @Inject
    GrantBook book;

    @Inject
    GrantReconciler reconciler;

    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private volatile int partitionCount;

    @Override
    void assigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.stream().findFirst().ifPresent(tp -> partitionCount = consumer.partitionsFor(tp.topic()).size());
        owned.addAll(numbers(partitions));
        LOG.infof("Grants partitions assigned %s: rebuilding from the beginning", numbers(partitions));
        reconciler.resyncWhenReady();
    }

    @Override
    void revoked(Set<Integer> partitions) {
        owned.removeAll(partitions);
        int dropped = book.dropPartitions(partitions).size();
        LOG.infof("Grants partitions revoked %s: %d grants handed over", partitions, dropped);
    }

    /** The grants partitions assigned to this instance now, in order, e.g. {@code "0,3,5"} (empty: none). */
    public String ownedPartitions() {
        return owned.stream().sorted().map(String::valueOf).collect(Collectors.joining(","));
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
}
