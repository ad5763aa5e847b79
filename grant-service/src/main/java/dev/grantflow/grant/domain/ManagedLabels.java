package dev.grantflow.grant.domain;

/** Labels and annotations on everything the grant-service creates (docs/design.md, "Kubernetes contracts"). */
public final class ManagedLabels {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "grantflow";
    /** Selector for informers on managed objects. */
    public static final String SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE;
    /** The grant name; the namespace is the tenant. */
    public static final String GRANT = "grantflow.dev/grant";
    /**
     * The selector grant name, on a selector grant's copy in a tenant (instead of {@link #GRANT}, so a grant to the
     * tenant and a selector grant of the same name never share objects).
     */
    public static final String SELECTOR_GRANT = "grantflow.dev/selector-grant";
    public static final String GENERATION = "grantflow.dev/generation";
    /** {@code sha256:<hex>} of the desired content, never the content. */
    public static final String CONTENT_HASH = "grantflow.dev/content-hash";
    /**
     * The id of the grants topic whose grant made the object (Kafka's topic id, which a re-created topic or another
     * cluster does not share): objects are collected only against the topic they came from.
     */
    public static final String GRANTS_TOPIC = "grantflow.dev/grants-topic-id";

    private ManagedLabels() {
    }
}
