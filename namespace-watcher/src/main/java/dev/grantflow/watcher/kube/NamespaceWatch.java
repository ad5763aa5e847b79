package dev.grantflow.watcher.kube;

import dev.grantflow.watcher.config.WatcherConfig;
import dev.grantflow.watcher.domain.TenantLedger;
import dev.grantflow.watcher.kafka.TenantEventPublisher;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Informer on every Namespace. Handlers only map the namespace into the {@link TenantLedger} and wake the publisher
 * for its key; the label selector is applied by the ledger's policy, so that losing the tenant label is an update
 * like any other.
 */
@ApplicationScoped
public class NamespaceWatch {

    private static final Logger LOG = Logger.getLogger(NamespaceWatch.class);

    @Inject
    KubernetesClient client;

    @Inject
    TenantLedger ledger;

    @Inject
    TenantEventPublisher publisher;

    @Inject
    WatcherConfig config;

    @Inject
    MeterRegistry registry;

    private volatile SharedIndexInformer<Namespace> informer;
    private io.micrometer.core.instrument.Gauge tenants;

    void onStart(@Observes StartupEvent event) {
        tenants = io.micrometer.core.instrument.Gauge.builder("grantflow.watcher.tenants", ledger,
                TenantLedger::tenantCount).register(registry);
        informer = client.namespaces().runnableInformer(config.resyncPeriod().toMillis());
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Namespace namespace) {
                observe(namespace);
            }

            @Override
            public void onUpdate(Namespace previous, Namespace namespace) {
                observe(namespace);
            }

            @Override
            public void onDelete(Namespace namespace, boolean finalStateUnknown) {
                String name = namespace.getMetadata().getName();
                ledger.forget(name);
                publisher.wake(name);
            }
        });
        LOG.infof("Watching namespaces selected by '%s'", config.labelSelector());
        informer.start().whenComplete((ok, failure) -> {
            if (failure == null) {
                LOG.infof("Namespace informer synced: %d tenant namespaces", ledger.tenantCount());
                publisher.informerSynced();
            } else {
                LOG.errorf(failure, "Namespace informer failed to start");
            }
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        if (tenants != null) {
            registry.remove(tenants); // see TenantEventPublisher.onStop
        }
        if (informer != null) {
            informer.stop();
        }
    }

    public boolean synced() {
        SharedIndexInformer<Namespace> current = informer;
        return current != null && current.hasSynced();
    }

    private void observe(Namespace namespace) {
        if (ledger.observe(NamespaceMapper.toView(namespace))) {
            publisher.wake(namespace.getMetadata().getName());
        }
    }
}
