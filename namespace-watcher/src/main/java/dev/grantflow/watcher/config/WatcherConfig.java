package dev.grantflow.watcher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Configuration of the namespace-watcher; every default is production-safe. */
@ConfigMapping(prefix = "grantflow.watcher")
public interface WatcherConfig {

    /**
     * Which namespaces are tenants: a Kubernetes label selector ({@code key=value}, {@code key!=value},
     * {@code key in (a,b)}, {@code key notin (a,b)}, {@code key}, {@code !key}, comma = AND). Evaluated in the
     * watcher, so a namespace that loses the label is seen as an update and announced as gone.
     */
    @WithDefault("app.kubernetes.io/part-of=kubeflow-profile")
    String labelSelector();

    /** Namespace annotation that names the tenant's owner (Kubeflow's profile controller sets {@code owner}). */
    @WithDefault("owner")
    String ownerAnnotation();

    /** CloudEvents {@code source} of the published records. */
    @WithDefault("/grantflow/namespace-watcher")
    String eventSource();

    /** Full resync period of the namespace informer. */
    @WithDefault("10m")
    Duration resyncPeriod();

    Publish publish();

    LeaderElection leaderElection();

    interface Publish {
        /** Most records sent in one batch (each key at most once per batch, so per-key order holds). */
        @WithDefault("500")
        int batchSize();

        /**
         * First retry delay after a failed send of a tenant key; doubles per consecutive failure of that key up to
         * {@link #maxBackoff()}. The same delays pace retries of reading the tenants topic back.
         */
        @WithDefault("200ms")
        Duration initialBackoff();

        /** Longest retry delay. */
        @WithDefault("30s")
        Duration maxBackoff();

        /** How long to wait for the broker to acknowledge one batch. */
        @WithDefault("60s")
        Duration sendTimeout();
    }

    interface LeaderElection {
        /** With several replicas only the Lease holder publishes. Disable only for a single replica. */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("grantflow-namespace-watcher")
        String leaseName();

        /** Namespace of the Lease; defaults to the pod's namespace (POD_NAMESPACE), else {@code grantflow}. */
        Optional<String> leaseNamespace();

        /** This replica's identity in the Lease; defaults to the pod name (HOSTNAME) plus a random suffix. */
        Optional<String> identity();

        @WithDefault("15s")
        Duration leaseDuration();

        @WithDefault("10s")
        Duration renewDeadline();

        @WithDefault("2s")
        Duration retryPeriod();
    }
}
