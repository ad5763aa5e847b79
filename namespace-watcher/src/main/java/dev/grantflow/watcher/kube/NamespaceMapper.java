package dev.grantflow.watcher.kube;

import dev.grantflow.watcher.domain.NamespaceView;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;

/** Maps a fabric8 Namespace to the watcher's {@link NamespaceView}. */
public final class NamespaceMapper {

    public static NamespaceView toView(Namespace namespace) {
        ObjectMeta meta = namespace.getMetadata();
        String phase = namespace.getStatus() == null ? null : namespace.getStatus().getPhase();
        boolean terminating = meta.getDeletionTimestamp() != null || "Terminating".equals(phase);
        return new NamespaceView(meta.getName(), meta.getLabels(), meta.getAnnotations(), phase, terminating);
    }

    private NamespaceMapper() {
    }
}
