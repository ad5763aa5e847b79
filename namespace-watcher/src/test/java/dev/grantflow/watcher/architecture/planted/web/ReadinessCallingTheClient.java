package dev.grantflow.watcher.architecture.planted.web;

import io.fabric8.kubernetes.client.KubernetesClient;

/** A planted violation for NamespaceWatcherLayersTest: a readiness check outside kube that asks the API server. */
public class ReadinessCallingTheClient {
    KubernetesClient client;

    public boolean ready() {
        return client.namespaces().list() != null;
    }
}
