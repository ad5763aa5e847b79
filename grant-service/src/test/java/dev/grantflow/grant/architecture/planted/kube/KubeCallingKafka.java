package dev.grantflow.grant.architecture.planted.kube;

import dev.grantflow.grant.architecture.planted.kafka.ConsumerCallingKube;

/** A planted violation for GrantServiceLayersTest: the Kubernetes side calling back into the Kafka side. */
public class KubeCallingKafka {
    public void write() {
        new ConsumerCallingKube().hashCode();
    }
}
