package dev.grantflow.watcher.architecture.planted.kube;

import dev.grantflow.watcher.architecture.planted.kafka.PublisherCallingKube;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * A planted violation for NamespaceWatcherLayersTest: the client in {@code kube} is allowed; an emitter is not, and
 * calling {@code kafka} (which calls back) closes a cycle.
 */
public class KubeSendingRecords {
    KubernetesClient client;
    MutinyEmitter<String> emitter;

    public void informerSynced() {
        client.namespaces().list();
        emitter.send("synced");
        new PublisherCallingKube().hashCode();
    }
}
