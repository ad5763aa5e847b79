package dev.grantflow.grant.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

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
