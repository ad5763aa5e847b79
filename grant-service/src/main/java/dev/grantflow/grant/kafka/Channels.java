package dev.grantflow.grant.kafka;

/** Reactive Messaging channels of the grant-service; bound to topics in application.properties. */
public final class Channels {

    /**
     * Grants from {@code grantflow.grants.v1} as a consumer group: hands out the shards and dead-letters unparseable
     * records once. The desired state is read by {@link GrantTopicReader}, outside any channel.
     */
    public static final String GRANTS_IN = "grants-in";
    /** Tenant events from {@code grantflow.tenants.v1} (every instance reads every partition). */
    public static final String TENANTS_IN = "tenants-in";
    /** Grant status to {@code grantflow.grant-status.v1}. */
    public static final String STATUS_OUT = "status-out";
    /** One decision per grants record to {@code grantflow.audit.v1}. */
    public static final String AUDIT_OUT = "audit-out";

    private Channels() {
    }
}
