package dev.grantflow.watcher.web;

import dev.grantflow.watcher.kafka.KafkaReachability;
import dev.grantflow.watcher.kafka.TenantEventPublisher;
import dev.grantflow.watcher.kube.NamespaceWatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the namespace informer has synced, the Kafka cluster answers and, on the leader, while sends succeed.
 */
@Readiness
@ApplicationScoped
public class WatcherReadiness implements HealthCheck {

    @Inject
    NamespaceWatch namespaces;

    @Inject
    TenantEventPublisher publisher;

    @Inject
    KafkaReachability kafka;

    @Override
    public HealthCheckResponse call() {
        String failure = publisher.lastFailure();
        String kafkaProblem = kafka.problem();
        boolean up = namespaces.synced() && kafkaProblem == null && (!publisher.isLeader() || failure == null);
        HealthCheckResponseBuilder response = HealthCheckResponse.named("namespace-watcher")
                .status(up)
                .withData("informerSynced", namespaces.synced())
                .withData("leader", publisher.isLeader())
                .withData("pending", publisher.pendingCount());
        if (kafkaProblem != null) {
            response.withData("kafka", kafkaProblem);
        }
        if (failure != null) {
            response.withData("lastPublishFailure", failure);
        }
        return response.build();
    }
}
