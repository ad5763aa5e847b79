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
