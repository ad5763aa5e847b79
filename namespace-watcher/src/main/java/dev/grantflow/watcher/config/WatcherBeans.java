package dev.grantflow.watcher.config;

import dev.grantflow.model.kubernetes.CompiledLabelSelector;
import dev.grantflow.watcher.domain.TenantEventPolicy;
import dev.grantflow.watcher.domain.TenantLedger;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Builds the pure domain objects from configuration; an invalid selector fails start-up with its message. */
public class WatcherBeans {

    @Produces
    @Singleton
    TenantLedger ledger(WatcherConfig config) {
        CompiledLabelSelector selector = CompiledLabelSelector.parse(config.labelSelector());
        return new TenantLedger(new TenantEventPolicy(selector, config.ownerAnnotation()));
    }
}
