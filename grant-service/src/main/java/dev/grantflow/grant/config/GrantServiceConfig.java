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

    Reconcile reconcile();

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
