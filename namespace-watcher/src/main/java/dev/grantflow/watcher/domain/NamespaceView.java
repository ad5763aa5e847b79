package dev.grantflow.watcher.domain;

import java.util.Map;

/**
 * What the watcher needs of a Namespace, independent of the Kubernetes client types.
 *
 * @param terminating true when the namespace has a deletion timestamp or phase {@code Terminating}
 */
public record NamespaceView(String name, Map<String, String> labels, Map<String, String> annotations, String phase,
        boolean terminating) {

    public NamespaceView {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public boolean active() {
        return "Active".equals(phase) && !terminating;
    }
}
