package dev.grantflow.grant.config;

import dev.grantflow.grant.domain.ContentHash;
import dev.grantflow.grant.domain.DeletionBudget;
import dev.grantflow.grant.domain.SignaturePolicy;
import dev.grantflow.grant.domain.GrantLedger;
import dev.grantflow.grant.domain.GrantTraces;
import dev.grantflow.grant.domain.ReconcilePolicy;
import dev.grantflow.grant.domain.Shards;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The pure domain objects, built from configuration. */
public class GrantServiceBeans {

    @Produces
    @Singleton
    GrantLedger grantLedger() {
        return new GrantLedger();
    }

    @Produces
    @Singleton
    ReconcilePolicy reconcilePolicy(GrantServiceConfig config, ContentHash hash, SignaturePolicy signatures) {
        return new ReconcilePolicy(config.sourceNamespace(), hash, signatures.required());
    }

    @Produces
    @Singleton
    Shards shards() {
        return new Shards();
    }

    @Produces
    @Singleton
    DeletionBudget deletionBudget(GrantServiceConfig config) {
        return new DeletionBudget(config.deletionBudget().perInterval(), config.deletionBudget().interval());
    }

    @Produces
    @Singleton
    GrantTraces grantTraces() {
        return new GrantTraces();
    }
}
