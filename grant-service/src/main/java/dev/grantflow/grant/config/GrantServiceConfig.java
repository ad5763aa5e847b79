package dev.grantflow.grant.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Configuration of the grant-service; every default is production-safe. */
@ConfigMapping(prefix = "grantflow.grants")
public interface GrantServiceConfig {

    /**
     * The only namespace {@code secretRef} sources may be read from: administrators keep the credentials they grant
     * there. A grant naming another namespace is rejected.
     */
    @WithDefault("grantflow-sources")
    String sourceNamespace();

    /** CloudEvents {@code source} of published status records. */
    @WithDefault("/grantflow/grant-service")
    String eventSource();

    /**
     * How often the grants view checks the topic's id and partition count: a topic deleted and re-created under the
     * same name is read again from its beginning, and copies made from the old one are never collected.
     */
    @WithDefault("30s")
    Duration topicCheckPeriod();

    Reconcile reconcile();

    DeletionBudget deletionBudget();

    Tenants tenants();

    /**
     * Which namespaces are tenants grant-service writes into. A record on the tenants topic is not enough: its own
     * Namespace informer must confirm that the namespace exists, is not terminating and matches
     * {@link #labelSelector()}; protected namespaces are never written into nor deleted from.
     */
    interface Tenants {
        /**
         * Which namespaces are tenants: a Kubernetes label selector ({@code key=value}, {@code key!=value},
         * {@code key in (a,b)}, {@code key notin (a,b)}, {@code key}, {@code !key}, comma = AND), evaluated in memory
         * like namespace-watcher's. Keep it equal to namespace-watcher's {@code grantflow.watcher.label-selector}:
         * a namespace announced by the watcher and not selected here stays {@code Pending/TenantUnconfirmed}.
         */
        @WithDefault("app.kubernetes.io/part-of=kubeflow-profile")
        String labelSelector();

        /**
         * Namespaces never written into nor deleted from, in addition to {@code kube-system}, {@code kube-public},
         * {@code kube-node-lease}, grant-service's own namespace ({@code POD_NAMESPACE}, else the Kubernetes client's
         * namespace) and the source namespace. Comma-separated.
         */
        Optional<List<String>> protectedNamespaces();
    }

    /**
     * Deletions that no record asked for: copies whose grant is gone without a tombstone (compacted away while the
     * service was down), and copies in a namespace that is no longer a tenant. An empty or wrong topic must not
     * delete every managed copy at once: past the budget, deletions are held back and reported
     * ({@code Pending/DeletionHeldBack}, metric {@code grantflow_deletions_held}), and tried again in the next interval.
     */
    interface DeletionBudget {
        /** Grant keys whose copies may be collected per interval. */
        @WithDefault("20")
        int perInterval();

        @WithDefault("1m")
        Duration interval();
    }

    interface Reconcile {
        /**
         * Worker threads reconciling grants; each key is reconciled by one worker at a time. Workers mostly wait for
         * the API server, so there are more of them than cores.
         */
        @WithDefault("8")
        int workers();

        /** First retry delay after a transient failure; doubles per attempt, with jitter, up to the maximum. */
        @WithDefault("500ms")
        Duration initialBackoff();

        @WithDefault("5m")
        Duration maxBackoff();

        /** Full resync: every grant is reconciled again (repairs anything a missed event left behind). */
        @WithDefault("10m")
        Duration resyncPeriod();
    }
}
