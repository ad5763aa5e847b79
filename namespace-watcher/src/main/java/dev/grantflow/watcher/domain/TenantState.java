package dev.grantflow.watcher.domain;

import java.util.Map;

/** The part of a tenant namespace that its events carry; a change of it is an {@code updated} event. */
public record TenantState(String owner, Map<String, String> labels) {

    public TenantState {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
