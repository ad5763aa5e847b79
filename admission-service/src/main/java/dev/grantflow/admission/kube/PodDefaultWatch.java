package dev.grantflow.admission.kube;

import dev.grantflow.admission.config.AdmissionConfig;
import dev.grantflow.model.poddefault.PodDefault;
import dev.grantflow.model.poddefault.PodDefaultList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * A SharedIndexInformer on PodDefaults in all namespaces, feeding the {@link PodDefaultCache}. Handlers only map
 * into the cache. The informer keeps retrying a failing LIST/WATCH (e.g. CRD not installed yet, RBAC missing):
 * the service stays not-ready meanwhile instead of crashing.
 */
@ApplicationScoped
public class PodDefaultWatch {

    private static final Logger LOG = Logger.getLogger(PodDefaultWatch.class);

    @Inject
    KubernetesClient client;

    @Inject
    PodDefaultCache cache;

    @Inject
    AdmissionConfig config;

    private volatile SharedIndexInformer<PodDefault> informer;
    private volatile boolean stopping;
    private final InitialSync initialSync = new InitialSync();

    void onStart(@Observes StartupEvent event) {
        informer = client.resources(PodDefault.class, PodDefaultList.class).inAnyNamespace()
                .runnableInformer(config.informer().resyncPeriod().toMillis());
        informer.itemStore(new TrimmingItemStore());
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(PodDefault podDefault) {
                cache.put(podDefault);
                initialSync.handled(key(podDefault));
                LOG.debugf("PodDefault %s added (resourceVersion %s)", key(podDefault), podDefault.getMetadata().getResourceVersion());
            }

            @Override
            public void onUpdate(PodDefault previous, PodDefault podDefault) {
                cache.put(podDefault);
                initialSync.handled(key(podDefault));
                LOG.debugf("PodDefault %s updated (resourceVersion %s)", key(podDefault), podDefault.getMetadata().getResourceVersion());
            }

            @Override
            public void onDelete(PodDefault podDefault, boolean finalStateUnknown) {
                cache.remove(podDefault.getMetadata().getNamespace(), podDefault.getMetadata().getName());
                initialSync.handled(key(podDefault));
                LOG.debugf("PodDefault %s deleted", key(podDefault));
            }
        });
        informer.exceptionHandler((started, failure) -> {
            LOG.warnf("PodDefault informer: %s (retrying)", failure.toString());
            return true;
        });
        informer.start().whenComplete((ok, failure) -> {
            if (failure == null) {
                initialSync.storeSynced(informer.getStore().listKeys());
                LOG.infof("PodDefault informer synced: %d PodDefaults listed, %d not yet in the cache",
                        informer.getStore().listKeys().size(), Math.max(0, initialSync.remaining()));
            } else if (stopping) {
                LOG.debugf("PodDefault informer stopped before it synced: %s", failure.toString());
            } else {
                LOG.errorf("PodDefault informer did not start: %s", failure.toString());
            }
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        SharedIndexInformer<PodDefault> current = informer;
        if (current != null) {
            current.stop();
        }
    }

    /** True once the informer is running and every object of its initial LIST has been delivered to the cache. */
    public boolean isSynced() {
        SharedIndexInformer<PodDefault> current = informer;
        return current != null && current.isRunning() && current.hasSynced() && initialSync.isComplete();
    }

    /** Objects of the initial LIST not yet in the cache; -1 before the LIST completed. */
    public long initialListPending() {
        return initialSync.remaining();
    }

    /** True while the informer's WATCH is open. */
    public boolean isWatching() {
        SharedIndexInformer<PodDefault> current = informer;
        return current != null && current.isWatching();
    }

    /** The informer store's key format: {@code namespace/name}. */
    private static String key(PodDefault podDefault) {
        return podDefault.getMetadata().getNamespace() + "/" + podDefault.getMetadata().getName();
    }
}
