package dev.grantflow.admission.domain;

import java.time.Duration;
import java.util.Objects;

/**
 * How fresh the PodDefault cache is, and what that means for the health checks. The cache's <em>age</em> is the time
 * since the informer last heard from the API server (measured in {@code kube}: a LIST completed, a watch event or
 * bookmark arrived, or its watch connection was open); it is <em>stale</em> when the age exceeds the configured
 * maximum. Pure: the caller passes the measured time.
 */
public final class CacheFreshnessPolicy {

    /**
     * @param synced the informer has synced and the cache holds its initial LIST
     * @param age time since the informer last heard from the API server (zero or more)
     * @param maxStaleness the configured maximum
     * @param stale {@code age > maxStaleness}
     */
    public record Freshness(boolean synced, Duration age, Duration maxStaleness, boolean stale) {
    }

    private final Duration maxStaleness;
    private final boolean readinessFailsWhenStale;

    public CacheFreshnessPolicy(Duration maxStaleness, boolean readinessFailsWhenStale) {
        this.maxStaleness = Objects.requireNonNull(maxStaleness, "maxStaleness");
        if (maxStaleness.isNegative() || maxStaleness.isZero()) {
            throw new IllegalArgumentException("max staleness must be positive: " + maxStaleness);
        }
        this.readinessFailsWhenStale = readinessFailsWhenStale;
    }

    public Freshness assess(boolean synced, Duration sinceContact) {
        Duration age = sinceContact.isNegative() ? Duration.ZERO : sinceContact;
        return new Freshness(synced, age, maxStaleness, age.compareTo(maxStaleness) > 0);
    }

    /**
     * Readiness (the probe that keeps the pod in the webhook Service): UP once synced; stale makes it DOWN only when
     * the operator opted in.
     */
    public boolean ready(Freshness freshness) {
        return freshness.synced() && !(readinessFailsWhenStale && freshness.stale());
    }

    /** The freshness check (health group {@code cache-freshness}, for alerting): UP when synced and not stale. */
    public boolean fresh(Freshness freshness) {
        return freshness.synced() && !freshness.stale();
    }
}
