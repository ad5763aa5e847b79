package dev.grantflow.grant.domain;

import java.util.Map;

/**
 * What the tenant confirmation needs of a Namespace, as grant-service's own Namespace informer holds it.
 *
 * @param terminating true when the namespace has a deletion timestamp or phase {@code Terminating}
 */
public record TenantNamespace(String name, Map<String, String> labels, boolean terminating) {

    public TenantNamespace {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
