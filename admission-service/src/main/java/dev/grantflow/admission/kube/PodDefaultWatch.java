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
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A SharedIndexInformer on PodDefaults in all namespaces whose store is the {@link PodDefaultCache} (through
 * {@link PreparedItemStore}): every object the informer receives is prepared into the cache before any handler sees
 * it; the handlers only record contact and the initial sync. The informer keeps retrying a failing LIST/WATCH (e.g.
 * CRD not installed yet, RBAC missing): the service stays not-ready meanwhile instead of crashing.
 *
 * <p>It also measures how long ago the informer last heard from the API server ({@link #sinceContact()}, the cache's
 * age): contact is the initial LIST completing, a watch event with a new resourceVersion (add, update, delete; a
 * resync replays the local store and is not contact), a change of the informer's last resourceVersion (a re-LIST, a
 * watch event or a BOOKMARK, which fabric8 handles internally and asks for), or the watch connection being open
 * (while it is, the API server pushes every change). The resourceVersion and the connection are sampled every
 * second. A connection that died without closing counts as open until fabric8 restarts the watch (it does every 5
 * to 10 minutes).
 */
@ApplicationScoped
public class PodDefaultWatch {

    private static final Logger LOG = Logger.getLogger(PodDefaultWatch.class);

    /**
     * Objects per page of the informer's LIST: the service never holds more than one page of typed PodDefaults at a
     * time, however many the cluster has (the API server answers {@code limit}/{@code continue}).
     */
    static final long LIST_PAGE = 500;

    @Inject
    KubernetesClient client;

    @Inject
    PodDefaultCache cache;

    @Inject
    AdmissionConfig config;

    private volatile SharedIndexInformer<PodDefault> informer;
    private volatile boolean stopping;
    private final InitialSync initialSync = new InitialSync();
    private volatile long lastContactNanos = System.nanoTime();
    private volatile Instant lastContact;
    private volatile String lastResourceVersion;
    private ScheduledExecutorService sampler;

    void onStart(@Observes StartupEvent event) {
        informer = client.resources(PodDefault.class, PodDefaultList.class).inAnyNamespace().withLimit(LIST_PAGE)
                .runnableInformer(config.informer().resyncPeriod().toMillis());
        // The cache is the informer's store (PreparedItemStore): one compact copy of each PodDefault. Nothing reads
        // the informer's namespace index, which would hold one more key string per PodDefault.
        informer.itemStore(new PreparedItemStore(cache));
        informer.removeNamespaceIndex();
        informer.addEventHandler(new ResourceEventHandler<>() {
            // The store has already put the object into the cache (or removed it) when a handler runs: handlers
            // note the contact and the initial sync. A resync replays stubs with an unchanged resourceVersion.
            @Override
            public void onAdd(PodDefault podDefault) {
                heard();
                initialSync.handled(key(podDefault));
                LOG.debugf("PodDefault %s added (resourceVersion %s)", key(podDefault), podDefault.getMetadata().getResourceVersion());
            }

            @Override
            public void onUpdate(PodDefault previous, PodDefault podDefault) {
                if (!Objects.equals(previous.getMetadata().getResourceVersion(),
                        podDefault.getMetadata().getResourceVersion())) {
                    heard(); // not a resync
                }
                initialSync.handled(key(podDefault));
                LOG.debugf("PodDefault %s updated (resourceVersion %s)", key(podDefault), podDefault.getMetadata().getResourceVersion());
            }

            @Override
            public void onDelete(PodDefault podDefault, boolean finalStateUnknown) {
                heard();
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
                heard();
                initialSync.storeSynced(informer.getStore().listKeys());
                LOG.infof("PodDefault informer synced: %d PodDefaults listed, %d not yet in the cache",
                        informer.getStore().listKeys().size(), Math.max(0, initialSync.remaining()));
            } else if (stopping) {
                LOG.debugf("PodDefault informer stopped before it synced: %s", failure.toString());
            } else {
                LOG.errorf("PodDefault informer did not start: %s", failure.toString());
            }
        });
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "poddefault-cache-age");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleWithFixedDelay(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        if (sampler != null) {
            sampler.shutdownNow();
        }
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

    /**
     * Time since the informer last heard from the API server (see the class comment); before the first contact, time
     * since the start.
     */
    public Duration sinceContact() {
        sample();
        return Duration.ofNanos(Math.max(0, System.nanoTime() - lastContactNanos));
    }

    /** When the informer last heard from the API server; empty before the first contact. */
    public Optional<Instant> lastContact() {
        return Optional.ofNullable(lastContact);
    }

    private void sample() {
        SharedIndexInformer<PodDefault> current = informer;
        if (current == null) {
            return;
        }
        String resourceVersion = current.lastSyncResourceVersion();
        boolean changed = resourceVersion != null && !resourceVersion.equals(lastResourceVersion);
        lastResourceVersion = resourceVersion;
        if (changed || current.isWatching()) {
            heard();
        }
    }

    private void heard() {
        lastContactNanos = System.nanoTime();
        lastContact = Instant.now();
    }

    /** The informer store's key format: {@code namespace/name}. */
    private static String key(PodDefault podDefault) {
        return podDefault.getMetadata().getNamespace() + "/" + podDefault.getMetadata().getName();
    }
}
