package dev.grantflow.admission.web;

import dev.grantflow.admission.domain.CacheFreshnessPolicy;
import dev.grantflow.admission.kube.PodDefaultWatch;
import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * The staleness check for operators ({@code /q/health/group/cache-freshness} on the management port): DOWN before the
 * informer synced and while the cache is older than {@code grantflow.admission.cache.max-staleness}. Deliberately in
 * a health group of its own, not in readiness: no probe uses it, so a stale cache never takes the webhook out of its
 * Service (README, "Cache age and staleness").
 */
@HealthGroup(PodDefaultCacheFreshness.GROUP)
@ApplicationScoped
public class PodDefaultCacheFreshness implements HealthCheck {

    public static final String GROUP = "cache-freshness";

    @Inject
    PodDefaultWatch watch;

    @Inject
    CacheFreshnessPolicy policy;

    @Override
    public HealthCheckResponse call() {
        CacheFreshnessPolicy.Freshness freshness = policy.assess(watch.isSynced(), watch.sinceContact());
        return HealthCheckResponse.named("poddefault-cache-freshness")
                .status(policy.fresh(freshness))
                .withData("synced", freshness.synced())
                .withData("watching", watch.isWatching())
                .withData("cacheAgeSeconds", freshness.age().toSeconds())
                .withData("maxStalenessSeconds", freshness.maxStaleness().toSeconds())
                .withData("stale", freshness.stale())
                .withData("lastContact", watch.lastContact().map(Object::toString).orElse("never"))
                .build();
    }
}
