package dev.grantflow.grant.domain;

import dev.grantflow.model.grant.GrantKey;
import java.util.Set;

/**
 * What the event sources (grant and tenant records, informers) tell the control loop. Implemented by the reconciler;
 * the sources depend on this interface only, so the Kafka and Kubernetes sides never depend on each other.
 */
public interface ReconcileTrigger {

    /** Something about {@code key} may have changed: reconcile it. */
    void enqueue(GrantKey key);

    /**
     * Something about tenant {@code tenant} may have changed (the tenants topic, its namespace or its labels):
     * reconcile its grants and the copies of the selector grants that select it or have copies there. Costs the
     * grants that concern the tenant, not all grants.
     */
    void tenantChanged(String tenant);

    /** These shards became active on this instance: reconcile every key that falls into them. */
    void shardsActivated(Set<Integer> shards);

    /**
     * These shards were taken away: waits (bounded) until no reconcile of their keys is running here any more.
     *
     * @return false when the wait ended with such a reconcile still running
     */
    boolean awaitQuiet(Set<Integer> shards);
}
