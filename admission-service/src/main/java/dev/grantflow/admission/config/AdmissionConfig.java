package dev.grantflow.admission.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The admission-service's own settings ({@code grantflow.admission.*}). HTTP, TLS, body-size and client settings
 * are standard Quarkus properties, listed in README.md.
 */
@ConfigMapping(prefix = "grantflow.admission")
public interface AdmissionConfig {

    /**
     * D1: a PodDefault whose selector cannot be converted is skipped (and named in {@code response.warnings}).
     * {@code false} restores Kubeflow's behaviour: such a PodDefault denies every pod of its namespace.
     */
    @WithDefault("true")
    boolean skipInvalidSelectors();

    /** The PodDefault informer. */
    Informer informer();

    /** The validating webhook for PodDefaults ({@code /validate-poddefault}). */
    Validation validation();

    /** How fresh the PodDefault cache must be (README, "Cache age and staleness"). */
    Cache cache();

    /** The serving certificate (prod profile: PEM files of the TLS configuration the HTTP server uses). */
    Tls tls();

    interface Cache {

        /**
         * The cache is stale when the informer has not heard from the API server for longer than this: the
         * {@code poddefault-cache-freshness} check (health group {@code cache-freshness}) is DOWN and the gauge
         * {@code grantflow_admission_cache_stale} is 1. The webhook keeps answering from the cache.
         */
        @WithDefault("5m")
        Duration maxStaleness();

        /**
         * Readiness ({@code /q/health/ready}) DOWN while the cache is stale, which takes the pod out of the webhook
         * Service: with {@code failurePolicy: Fail} pod creation in profile namespaces then fails visibly, as with
         * Kubeflow's webhook when it cannot reach the API server, instead of notebooks starting without PodDefaults
         * made (or with ones revoked) while the cache was blind. {@code false} keeps answering from the stale cache.
         */
        @WithDefault("true")
        boolean readinessFailsWhenStale();
    }

    interface Tls {

        /**
         * How often the certificate files are read again. A new certificate is served only once its key matches it,
         * so a pair caught half-replaced is never installed (checked again a second later).
         */
        @WithDefault("1m")
        Duration reloadPeriod();
    }

    interface Informer {

        /**
         * How often the informer replays its cache to the handlers. The cache is kept current by the watch, so
         * {@code 0} (off) is the default; a resync only re-prepares every PodDefault.
         */
        @WithDefault("0s")
        Duration resyncPeriod();
    }

    interface Validation {

        /**
         * Reject (instead of only warning about) PodDefaults without {@code spec.selector.matchLabels}, which the
         * Jupyter web app cannot show.
         */
        @WithDefault("false")
        boolean rejectWithoutMatchLabels();
    }
}
