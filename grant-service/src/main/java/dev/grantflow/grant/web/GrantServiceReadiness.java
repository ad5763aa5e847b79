package dev.grantflow.grant.web;

import dev.grantflow.grant.kafka.GrantPartitions;
import dev.grantflow.grant.kafka.StatusPublisher;
import dev.grantflow.grant.kafka.TenantPartitions;
import dev.grantflow.grant.kube.GrantReconciler;
import dev.grantflow.grant.kube.ManagedObjectsWatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the grants and tenants topics are caught up, the informers synced and the published statuses read. */
@Readiness
@ApplicationScoped
public class GrantServiceReadiness implements HealthCheck {

    @Inject
    GrantPartitions grants;

    @Inject
    TenantPartitions tenants;

    @Inject
    ManagedObjectsWatch watch;

    @Inject
    GrantReconciler reconciler;

    @Inject
    StatusPublisher status;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("grant-service")
                .status(reconciler.ready())
                .withData("grantsCaughtUp", grants.caughtUp())
                .withData("grantsLag", grants.lag())
                .withData("grantsPartitions", grants.ownedPartitions())
                .withData("tenantsCaughtUp", tenants.caughtUp())
                .withData("tenantsLag", tenants.lag())
                .withData("informersSynced", watch.synced())
                .withData("statusesRead", status.seeded())
                .withData("queueDepth", reconciler.queueDepth())
                .withData("idle", reconciler.idle())
                .build();
    }
}
