package dev.grantflow.grant.web;

import dev.grantflow.grant.domain.DeletionBudget;
import dev.grantflow.grant.domain.Shards;
import dev.grantflow.grant.kafka.GrantTopicReader;
import dev.grantflow.grant.kafka.StatusPublisher;
import dev.grantflow.grant.kafka.TenantPartitions;
import dev.grantflow.grant.kube.GrantReconciler;
import dev.grantflow.grant.kube.ManagedObjectsWatch;
import dev.grantflow.grant.kube.TenantNamespacesWatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the grants view and the tenants topic are caught up, the informers (managed objects, and the namespaces
 * that confirm tenants) synced and the published statuses read. The data shows the shards this instance acts on
 * ({@code grantsShards}) and those waiting for the view.
 */
@Readiness
@ApplicationScoped
public class GrantServiceReadiness implements HealthCheck {

    @Inject
    GrantTopicReader grants;

    @Inject
    TenantPartitions tenants;

    @Inject
    Shards shards;

    @Inject
    ManagedObjectsWatch watch;

    @Inject
    TenantNamespacesWatch namespaces;

    @Inject
    GrantReconciler reconciler;

    @Inject
    StatusPublisher status;

    @Inject
    DeletionBudget budget;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("grant-service")
                .status(reconciler.ready())
                .withData("grantsCaughtUp", grants.caughtUp())
                .withData("grantsLag", grants.lag())
                .withData("grantsTopicId", String.valueOf(grants.topicId()))
                .withData("grantsShards", join(shards.active()))
                .withData("grantsShardsPending", join(shards.pending()))
                .withData("tenantsCaughtUp", tenants.caughtUp())
                .withData("tenantsLag", tenants.lag())
                .withData("informersSynced", watch.synced())
                .withData("namespacesSynced", namespaces.synced())
                .withData("statusesRead", status.seeded())
                .withData("queueDepth", reconciler.queueDepth())
                .withData("queueWaiting", reconciler.queueWaiting())
                .withData("idle", reconciler.idle())
                .withData("resyncsCompleted", reconciler.resyncsCompleted())
                .withData("deletionsHeldBack", budget.heldCount())
                .build();
    }

    private static String join(Set<Integer> numbers) {
        return numbers.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
