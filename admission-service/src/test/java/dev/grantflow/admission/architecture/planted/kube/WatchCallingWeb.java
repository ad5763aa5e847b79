package dev.grantflow.admission.architecture.planted.kube;

import dev.grantflow.admission.architecture.planted.web.ResourceCallingTheClient;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Planted for AdmissionServiceLayersTest: the client in {@code kube} is allowed; calling {@code web} (which calls
 * back) closes a cycle.
 */
public class WatchCallingWeb {
    KubernetesClient client;

    public void synced() {
        client.namespaces().list();
        new ResourceCallingTheClient().hashCode();
    }
}
