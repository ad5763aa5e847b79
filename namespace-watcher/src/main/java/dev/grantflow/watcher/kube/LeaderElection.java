package dev.grantflow.watcher.kube;

import dev.grantflow.watcher.config.WatcherConfig;
import dev.grantflow.watcher.kafka.TenantEventPublisher;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Takes part in the Lease election (fabric8 LeaderElector) so that, of several replicas, only the leader publishes.
 * When leadership is lost the election starts again, so a replica can lead again later.
 */
@ApplicationScoped
public class LeaderElection {

    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    @Inject
    KubernetesClient client;

    @Inject
    TenantEventPublisher publisher;

    @Inject
    WatcherConfig config;

    private volatile boolean stopping;
    private volatile CompletableFuture<?> election;
    private String identity;

    void onStart(@Observes StartupEvent event) {
        WatcherConfig.LeaderElection le = config.leaderElection();
        if (!le.enabled()) {
            LOG.info("Leader election disabled: this replica publishes");
            publisher.leadershipAcquired();
            return;
        }
        identity = le.identity().orElseGet(() -> Optional.ofNullable(System.getenv("HOSTNAME")).orElse("watcher")
                + "-" + UUID.randomUUID().toString().substring(0, 8));
        elect();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        CompletableFuture<?> current = election;
        if (current != null) {
            current.cancel(true);
        }
    }

    private void elect() {
        WatcherConfig.LeaderElection le = config.leaderElection();
        String namespace = le.leaseNamespace()
                .orElseGet(() -> Optional.ofNullable(System.getenv("POD_NAMESPACE")).orElse("grantflow"));
        LOG.infof("Joining leader election for Lease %s/%s as %s", namespace, le.leaseName(), identity);
        election = client.leaderElector()
                .withConfig(new LeaderElectionConfigBuilder()
                        .withName(le.leaseName())
                        .withLock(new LeaseLock(namespace, le.leaseName(), identity))
                        .withLeaseDuration(le.leaseDuration())
                        .withRenewDeadline(le.renewDeadline())
                        .withRetryPeriod(le.retryPeriod())
                        .withReleaseOnCancel(true)
                        .withLeaderCallbacks(new LeaderCallbacks(
                                publisher::leadershipAcquired,
                                publisher::leadershipLost,
                                leader -> LOG.infof("Lease %s is held by %s", le.leaseName(), leader)))
                        .build())
                .build()
                .start();
        election.whenComplete((ok, failure) -> {
            publisher.leadershipLost();
            if (!stopping) {
                LOG.info("Left the leader election; joining again");
                elect();
            }
        });
    }
}
