package dev.grantflow.admission.web;

import dev.grantflow.admission.domain.CacheFreshnessPolicy;
import dev.grantflow.admission.kube.PodDefaultCache;
import dev.grantflow.admission.kube.PodDefaultWatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: DOWN until the PodDefault informer has synced, so no pod is admitted from an incomplete cache. Shows the
 * cache's age; a stale cache turns it DOWN only with {@code grantflow.admission.cache.readiness-fails-when-stale}
 * (README, "Cache age and staleness": by default staleness is reported by {@link PodDefaultCacheFreshness}, which
 * no probe uses).
 */
@Readiness
@ApplicationScoped
public class PodDefaultCacheReadiness implements HealthCheck {

    @Inject
    PodDefaultWatch watch;

    @Inject
    PodDefaultCache cache;

    @Inject
    CacheFreshnessPolicy policy;

    @Override
    public HealthCheckResponse call() {
        CacheFreshnessPolicy.Freshness freshness = policy.assess(watch.isSynced(), watch.sinceContact());
        return HealthCheckResponse.named("poddefault-cache")
                .status(policy.ready(freshness))
                .withData("watching", watch.isWatching())
                .withData("initialListPending", watch.initialListPending())
                .withData("podDefaults", cache.size())
                .withData("namespaces", cache.namespaceCount())
                .withData("invalidSelectors", cache.invalidSelectorCount())
                .withData("cacheAgeSeconds", freshness.age().toSeconds())
                .withData("maxStalenessSeconds", freshness.maxStaleness().toSeconds())
                .withData("stale", freshness.stale())
                .build();
    }
}
