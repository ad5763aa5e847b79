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
import io.fabric8.kubernetes.client.informers.cache.Cache;
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
    private static final String BY_SELECTOR_GRANT = "selector-grant";

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

        secrets.addIndexers(Map.of(BY_GRANT, ManagedObjectsWatch::grantIndex,
                BY_SELECTOR_GRANT, ManagedObjectsWatch::selectorGrantIndex));
        podDefaults.addIndexers(Map.of(BY_GRANT, ManagedObjectsWatch::grantIndex,
                BY_SELECTOR_GRANT, ManagedObjectsWatch::selectorGrantIndex));
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

    /** The keys of the copies of selector grant {@code selector} that have objects, in any tenant. */
    public Set<GrantKey> copiesOf(GrantKey selector) {
        Set<GrantKey> keys = new HashSet<>();
        secrets.getIndexer().byIndex(BY_SELECTOR_GRANT, selector.name()).forEach(s -> grantKey(s).ifPresent(keys::add));
        podDefaults.getIndexer().byIndex(BY_SELECTOR_GRANT, selector.name())
                .forEach(pd -> grantKey(pd).ifPresent(keys::add));
        return keys;
    }

    /** The keys of the selector grants' copies that have objects in {@code namespace}. */
    public Set<GrantKey> copiesIn(String namespace) {
        Set<GrantKey> keys = new HashSet<>();
        secrets.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace).forEach(s -> grantKey(s)
                .filter(GrantKey::isCopy).ifPresent(keys::add));
        podDefaults.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace).forEach(pd -> grantKey(pd)
                .filter(GrantKey::isCopy).ifPresent(keys::add));
        return keys;
    }

    private void enqueueOwner(HasMetadata object) {
        grantKey(object).ifPresent(reconciler::enqueue);
    }

    private static List<String> grantIndex(HasMetadata object) {
        return grantKey(object).map(k -> List.of(k.format())).orElse(List.of());
    }

    private static List<String> selectorGrantIndex(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        String selector = labels == null || labels.containsKey(ManagedLabels.GRANT) ? null
                : labels.get(ManagedLabels.SELECTOR_GRANT);
        return selector == null ? List.of() : List.of(selector);
    }

    private static Optional<GrantKey> grantKey(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        String namespace = object.getMetadata().getNamespace();
        if (labels == null || namespace == null) {
            return Optional.empty();
        }
        String grant = labels.get(ManagedLabels.GRANT);
        if (grant != null) {
            return Optional.of(new GrantKey(namespace, grant));
        }
        String selector = labels.get(ManagedLabels.SELECTOR_GRANT);
        return selector == null ? Optional.empty() : Optional.of(GrantKey.selector(selector).copyIn(namespace));
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
