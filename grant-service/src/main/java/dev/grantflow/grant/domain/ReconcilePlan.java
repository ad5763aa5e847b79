package dev.grantflow.grant.domain;

import dev.grantflow.model.grant.GrantStatus;
import java.time.Instant;
import java.util.List;

/**
 * The decision for one grant key: the writes to perform, in order, and the status once they succeed.
 *
 * @param status    null when there is nothing to report (no grant and nothing to clean up)
 * @param recheckAt when to reconcile the key again even without an event (expiry), or null
 */
public record ReconcilePlan(List<KubeAction> actions, GrantStatus status, Instant recheckAt) {

    public ReconcilePlan {
        actions = List.copyOf(actions);
    }
}
