package dev.grantflow.watcher.kafka;

/** Reactive Messaging channels of the namespace-watcher; bound to topics in application.properties. */
public final class Channels {

    /** Tenant events to {@code grantflow.tenants.v1}. */
    public static final String TENANTS_OUT = "tenants-out";

    private Channels() {
    }
}
