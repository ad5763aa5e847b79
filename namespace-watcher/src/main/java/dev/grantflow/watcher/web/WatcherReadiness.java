package dev.grantflow.watcher.web;

import dev.grantflow.watcher.kafka.TenantEventPublisher;
import dev.grantflow.watcher.kube.NamespaceWatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the namespace informer has synced and, on the leader, while sends succeed. Kafka reachability is a
 * separate readiness check of the Kafka extension ({@code quarkus.kafka.health.enabled}).
 */
@Readiness
@ApplicationScoped
public class WatcherReadiness implements HealthCheck {

    @Inject
    NamespaceWatch namespaces;

    @Inject
    TenantEventPublisher publisher;

    @Override
    public HealthCheckResponse call() {
        String failure = publisher.lastFailure();
        boolean up = namespaces.synced() && (!publisher.isLeader() || failure == null);
        HealthCheckResponseBuilder response = HealthCheckResponse.named("namespace-watcher")
                .status(up)
                .withData("informerSynced", namespaces.synced())
                .withData("leader", publisher.isLeader())
                .withData("pending", publisher.pendingCount());
        if (failure != null) {
            response.withData("lastPublishFailure", failure);
        }
        return response.build();
    }
}
