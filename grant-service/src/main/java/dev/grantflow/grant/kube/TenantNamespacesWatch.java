package dev.grantflow.grant.kube;

import dev.grantflow.grant.config.GrantServiceConfig;
import dev.grantflow.grant.domain.ReconcileTrigger;
import dev.grantflow.grant.domain.TenantCheck;
import dev.grantflow.grant.domain.TenantConfirmationPolicy;
import dev.grantflow.grant.domain.TenantNamespace;
import dev.grantflow.model.kubernetes.CompiledLabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * grant-service's own Namespace informer: the confirmation that a namespace the tenants topic announces is a tenant
 * ({@link TenantConfirmationPolicy}). Like namespace-watcher's, it informs on every namespace with no server-side
 * selector and applies the tenant selector in memory (ADR 2), so that a namespace losing its tenant label is an
 * ordinary update. Handlers only tell the reconciler which tenant changed (it enqueues the tenant's grant keys and
 * the copies of the selector grants that select it or have copies there): a namespace added, relabelled, starting to
 * terminate or deleted is reconciled like any other trigger. Selector grants also ask it which tenants they select.
 */
@ApplicationScoped
public class TenantNamespacesWatch {

    private static final Logger LOG = Logger.getLogger(TenantNamespacesWatch.class);

    @Inject
    KubernetesClient client;

    @Inject
    GrantServiceConfig config;

    @Inject
    ReconcileTrigger reconciler;

    private volatile TenantConfirmationPolicy policy;
    private volatile SharedIndexInformer<Namespace> informer;

    void onStart(@Observes StartupEvent event) {
        // The pod's namespace (the downward API sets POD_NAMESPACE in k8s/), else the client's (in a pod: the
        // ServiceAccount's namespace; from a kubeconfig: its context's).
        String own = Optional.ofNullable(System.getenv("POD_NAMESPACE")).filter(ns -> !ns.isBlank())
                .orElseGet(client::getNamespace);
        policy = new TenantConfirmationPolicy(CompiledLabelSelector.parse(config.tenants().labelSelector()), own,
                config.sourceNamespace(), config.tenants().protectedNamespaces().orElse(List.of()));
        informer = client.namespaces().runnableInformer(config.reconcile().resyncPeriod().toMillis());
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Namespace namespace) {
                enqueue(namespace);
            }

            @Override
            public void onUpdate(Namespace previous, Namespace namespace) {
                if (!view(previous).equals(view(namespace))) {
                    enqueue(namespace);
                }
            }

            @Override
            public void onDelete(Namespace namespace, boolean finalStateUnknown) {
                enqueue(namespace);
            }
        });
        informer.start();
        LOG.infof("Confirming tenants from namespaces selected by '%s'; never writing into %s", policy.selector(),
                policy.protectedNamespaces().keySet());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (informer != null) {
            informer.stop();
        }
    }

    public boolean synced() {
        SharedIndexInformer<Namespace> current = informer;
        return current != null && current.hasSynced();
    }

    /** What the informer says about {@code tenant}'s namespace now. */
    public TenantCheck check(String tenant) {
        Namespace namespace = informer.getStore().getByKey(tenant);
        return policy.check(tenant, namespace == null ? null : view(namespace));
    }

    /** The namespace's labels as the informer holds them (empty when it holds none of that name). */
    public Map<String, String> labels(String namespace) {
        Namespace found = informer.getStore().getByKey(namespace);
        return found == null || found.getMetadata().getLabels() == null ? Map.of() : found.getMetadata().getLabels();
    }

    /** The confirmed tenants whose labels match {@code selector} (a selector grant's tenants). */
    public List<String> selected(CompiledLabelSelector selector) {
        List<String> selected = new ArrayList<>();
        for (Namespace namespace : informer.getStore().list()) {
            TenantNamespace view = view(namespace);
            if (selector.matches(view.labels()) && policy.check(view.name(), view).confirmed()) {
                selected.add(view.name());
            }
        }
        return selected;
    }

    private void enqueue(Namespace namespace) {
        reconciler.tenantChanged(namespace.getMetadata().getName());
    }

    private static TenantNamespace view(Namespace namespace) {
        String phase = namespace.getStatus() == null ? null : namespace.getStatus().getPhase();
        return new TenantNamespace(namespace.getMetadata().getName(), namespace.getMetadata().getLabels(),
                namespace.getMetadata().getDeletionTimestamp() != null || "Terminating".equals(phase));
    }
}
