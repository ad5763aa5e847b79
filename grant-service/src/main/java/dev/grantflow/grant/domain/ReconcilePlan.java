package dev.grantflow.grant.domain;

import dev.grantflow.model.grant.GrantStatus;
import java.time.Instant;
import java.util.List;

/**
 * The decision for one grant key: the writes to perform, in order, and the status once they succeed.
 *
 * @param status     null when there is nothing to report (no grant and nothing to clean up)
 * @param recheckAt  when to reconcile the key again even without an event (expiry), or null
 * @param collection the deletions are a collection that no record asked for (the grant is gone without a tombstone,
 *                   or the tenant is absent): they are bounded by the {@link DeletionBudget}
 */
public record ReconcilePlan(List<KubeAction> actions, GrantStatus status, Instant recheckAt, boolean collection) {

    public ReconcilePlan {
        actions = List.copyOf(actions);
    }

    public ReconcilePlan(List<KubeAction> actions, GrantStatus status, Instant recheckAt) {
        this(actions, status, recheckAt, false);
    }
}
