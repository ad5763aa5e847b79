package dev.grantflow.admission.architecture.planted.web;

import dev.grantflow.admission.architecture.planted.kube.WatchCallingWeb;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A planted violation for AdmissionServiceLayersTest: a resource outside kube that asks the API server itself (a live
 * call on the admission path), and calls {@code kube}, which calls back.
 */
public class ResourceCallingTheClient {
    KubernetesClient client;

    public boolean admit() {
        new WatchCallingWeb().synced();
        return client.namespaces().list() != null;
    }
}
