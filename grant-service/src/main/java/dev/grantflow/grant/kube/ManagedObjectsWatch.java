package dev.grantflow.grant.kube;

import dev.grantflow.grant.config.GrantServiceConfig;
import dev.grantflow.grant.domain.GrantLedger;
import dev.grantflow.grant.domain.ManagedLabels;
import dev.grantflow.grant.domain.ReconcileTrigger;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.poddefault.PodDefault;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The actual state, from informers: managed Secrets and PodDefaults in every namespace (selected by the
 * {@code managed-by} label, indexed by grant key) and the source Secrets of the source namespace. Handlers only map
 * an object to the grant keys it concerns and enqueue them: an edited or deleted copy (drift) and a changed source
 * (rotation) are reconciled like any other trigger.
 */
@ApplicationScoped
public class ManagedObjectsWatch {

    private static final Logger LOG = Logger.getLogger(ManagedObjectsWatch.class);
    private static final String BY_GRANT = "grant";

    @Inject
    KubernetesClient client;

    @Inject
    GrantServiceConfig config;

    @Inject
    GrantLedger ledger;

    @Inject
    ReconcileTrigger reconciler;

    private SharedIndexInformer<Secret> secrets;
    private SharedIndexInformer<PodDefault> podDefaults;
    private SharedIndexInformer<Secret> sources;

    void onStart(@Observes StartupEvent event) {
        long resync = config.reconcile().resyncPeriod().toMillis();
        secrets = client.secrets().inAnyNamespace().withLabel(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE)
                .runnableInformer(resync);
        podDefaults = client.resources(PodDefault.class).inAnyNamespace()
                .withLabel(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE).runnableInformer(resync);
        sources = client.secrets().inNamespace(config.sourceNamespace()).runnableInformer(resync);

        secrets.addIndexers(Map.of(BY_GRANT, ManagedObjectsWatch::grantIndex));
        podDefaults.addIndexers(Map.of(BY_GRANT, ManagedObjectsWatch::grantIndex));
        secrets.addEventHandler(handler(this::enqueueOwner));
        podDefaults.addEventHandler(handler(this::enqueueOwner));
        sources.addEventHandler(handler(source -> ledger.keysUsingSource(source.getMetadata().getName())
                .forEach(reconciler::enqueue)));

        secrets.start();
        podDefaults.start();
        sources.start();
        LOG.infof("Watching managed Secrets and PodDefaults, and sources in namespace %s", config.sourceNamespace());
    }

    void onStop(@Observes ShutdownEvent event) {
        for (SharedIndexInformer<?> informer : new SharedIndexInformer<?>[] {secrets, podDefaults, sources}) {
            if (informer != null) {
                informer.stop();
            }
        }
    }

    public boolean synced() {
        return secrets != null && secrets.hasSynced() && podDefaults.hasSynced() && sources.hasSynced();
    }

    public List<Secret> secrets(GrantKey key) {
        return secrets.getIndexer().byIndex(BY_GRANT, key.format());
    }

    public List<PodDefault> podDefaults(GrantKey key) {
        return podDefaults.getIndexer().byIndex(BY_GRANT, key.format());
    }

    /** The source Secret of that name, or null. */
    public Secret source(String name) {
        return sources.getStore().getByKey(config.sourceNamespace() + "/" + name);
    }

    /** The keys of every managed object (to find objects whose grant is gone). */
    public Set<GrantKey> managedKeys() {
        Set<GrantKey> keys = new HashSet<>();
        secrets.getIndexer().list().forEach(s -> grantKey(s).ifPresent(keys::add));
        podDefaults.getIndexer().list().forEach(pd -> grantKey(pd).ifPresent(keys::add));
        return keys;
    }

    private void enqueueOwner(HasMetadata object) {
        grantKey(object).ifPresent(reconciler::enqueue);
    }

    private static List<String> grantIndex(HasMetadata object) {
        return grantKey(object).map(k -> List.of(k.format())).orElse(List.of());
    }

    private static Optional<GrantKey> grantKey(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        String grant = labels == null ? null : labels.get(ManagedLabels.GRANT);
        String namespace = object.getMetadata().getNamespace();
        return grant == null || namespace == null ? Optional.empty() : Optional.of(new GrantKey(namespace, grant));
    }

    private static <T extends HasMetadata> ResourceEventHandler<T> handler(Consumer<T> onChange) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                onChange.accept(object);
            }

            @Override
            public void onUpdate(T previous, T object) {
                onChange.accept(object);
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                onChange.accept(object);
            }
        };
    }
}
