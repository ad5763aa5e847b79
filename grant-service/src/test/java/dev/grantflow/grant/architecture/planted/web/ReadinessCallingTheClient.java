package dev.grantflow.grant.architecture.planted.web;

import io.fabric8.kubernetes.client.KubernetesClient;

/** A planted violation for GrantServiceLayersTest: a readiness check outside kube that asks the API server itself. */
public class ReadinessCallingTheClient {
    KubernetesClient client;

    public boolean ready() {
        return client.namespaces().list() != null;
    }
}
