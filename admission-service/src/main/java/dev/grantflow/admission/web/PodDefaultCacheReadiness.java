package dev.grantflow.admission.web;

import dev.grantflow.admission.kube.PodDefaultCache;
import dev.grantflow.admission.kube.PodDefaultWatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: DOWN until the PodDefault informer has synced, so no pod is admitted from an incomplete cache. */
@Readiness
@ApplicationScoped
public class PodDefaultCacheReadiness implements HealthCheck {

    @Inject
    PodDefaultWatch watch;

    @Inject
    PodDefaultCache cache;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("poddefault-cache")
                .status(watch.isSynced())
                .withData("watching", watch.isWatching())
                .withData("initialListPending", watch.initialListPending())
                .withData("podDefaults", cache.size())
                .withData("namespaces", cache.namespaceCount())
                .withData("invalidSelectors", cache.invalidSelectorCount())
                .build();
    }
}
