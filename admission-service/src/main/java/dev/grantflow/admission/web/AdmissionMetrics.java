package dev.grantflow.admission.web;

import dev.grantflow.admission.domain.AdmissionDecision;
import dev.grantflow.admission.domain.AdmissionReason;
import dev.grantflow.admission.domain.CacheFreshnessPolicy;
import dev.grantflow.admission.kube.PodDefaultCache;
import dev.grantflow.admission.kube.PodDefaultWatch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Prometheus metrics of the webhooks:
 * <ul>
 *   <li>{@code grantflow_admission_request_seconds} (histogram) by {@code webhook} and {@code outcome};</li>
 *   <li>{@code grantflow_admission_decisions_total} by {@code webhook}, {@code outcome} (unchanged, patched,
 *       denied, malformed, error) and {@code reason};</li>
 *   <li>{@code grantflow_admission_poddefaults_skipped_total}: PodDefaults skipped for an invalid selector (D1);</li>
 *   <li>gauges {@code grantflow_admission_cache_poddefaults}, {@code grantflow_admission_cache_namespaces},
 *       {@code grantflow_admission_cache_invalid_selectors};</li>
 *   <li>gauges {@code grantflow_admission_cache_age_seconds} (time since the informer last heard from the API
 *       server) and {@code grantflow_admission_cache_stale} (1 while older than the configured maximum).</li>
 * </ul>
 */
@Singleton
public class AdmissionMetrics {

    public static final String MUTATE = "mutate";
    public static final String VALIDATE = "validate";

    @Inject
    MeterRegistry registry;

    @Inject
    PodDefaultCache cache;

    @Inject
    PodDefaultWatch watch;

    @Inject
    CacheFreshnessPolicy freshness;

    private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
    private Counter skipped;

    /** The timer and counter of one (outcome, reason) of a webhook. */
    private record Meters(Timer timer, Counter counter) {
    }

    private static final int REASONS = AdmissionReason.values().length;
    /** Per webhook: the meters by outcome (denied, patched, unchanged) times reason, filled on first use. */
    private final AtomicReferenceArray<Meters> mutateMeters = new AtomicReferenceArray<>(3 * REASONS);
    private final AtomicReferenceArray<Meters> validateMeters = new AtomicReferenceArray<>(3 * REASONS);

    void onStart(@Observes StartupEvent event) {
        registry.gauge("grantflow.admission.cache.poddefaults", cache, PodDefaultCache::size);
        registry.gauge("grantflow.admission.cache.namespaces", cache, PodDefaultCache::namespaceCount);
        registry.gauge("grantflow.admission.cache.invalid.selectors", cache, PodDefaultCache::invalidSelectorCount);
        Gauge.builder("grantflow.admission.cache.age", watch, w -> w.sinceContact().toMillis() / 1000.0)
                .description("Time since the PodDefault informer last heard from the API server")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("grantflow.admission.cache.stale", watch,
                        w -> freshness.assess(w.isSynced(), w.sinceContact()).stale() ? 1 : 0)
                .description("1 while the PodDefault cache is older than grantflow.admission.cache.max-staleness")
                .register(registry);
        skipped = Counter.builder("grantflow.admission.poddefaults.skipped")
                .description("PodDefaults skipped at pod admission because their selector cannot be converted (D1)")
                .tag("reason", "InvalidSelector")
                .register(registry);
    }

    public static String outcome(AdmissionDecision decision) {
        if (decision instanceof AdmissionDecision.Deny) {
            return "denied";
        }
        return decision instanceof AdmissionDecision.Patch ? "patched" : "unchanged";
    }

    /**
     * Records an answer of one of the two webhooks: the per-request path, which finds its meters by the decision's
     * outcome and reason in a table instead of building a key string per request.
     */
    public void decision(String webhook, AdmissionDecision decision, long startNanos) {
        AtomicReferenceArray<Meters> table = MUTATE.equals(webhook) ? mutateMeters : VALIDATE.equals(webhook) ? validateMeters : null;
        if (table == null) {
            decision(webhook, outcome(decision), decision.reason().label(), startNanos);
            return;
        }
        int slot = outcomeIndex(decision) * REASONS + decision.reason().ordinal();
        Meters meters = table.get(slot);
        if (meters == null) {
            // Racing threads may both get here: the maps below hand both the same meters.
            String outcome = outcome(decision);
            String reason = decision.reason().label();
            meters = new Meters(timer(webhook, outcome), counter(webhook, outcome, reason));
            table.set(slot, meters);
        }
        meters.timer().record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        meters.counter().increment();
    }

    public void decision(String webhook, String outcome, String reason, long startNanos) {
        timer(webhook, outcome).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        counter(webhook, outcome, reason).increment();
    }

    private static int outcomeIndex(AdmissionDecision decision) {
        if (decision instanceof AdmissionDecision.Deny) {
            return 0;
        }
        return decision instanceof AdmissionDecision.Patch ? 1 : 2;
    }

    private Counter counter(String webhook, String outcome, String reason) {
        return counters.computeIfAbsent(webhook + '|' + outcome + '|' + reason, k -> Counter.builder("grantflow.admission.decisions")
                .description("Admission answers by outcome and reason")
                .tag("webhook", webhook).tag("outcome", outcome).tag("reason", reason)
                .register(registry));
    }

    public void skippedPodDefaults(int count) {
        if (count > 0 && skipped != null) {
            skipped.increment(count);
        }
    }

    private Timer timer(String webhook, String outcome) {
        return timers.computeIfAbsent(webhook + '|' + outcome, k -> Timer.builder("grantflow.admission.request")
                .description("Time to answer an admission request, from body received to answer built")
                .tag("webhook", webhook).tag("outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry));
    }
}
