package dev.grantflow.grant.architecture.planted.kafka;

import dev.grantflow.grant.architecture.planted.kube.KubeCallingKafka;

/** A planted violation for GrantServiceLayersTest: the Kafka side calling the Kubernetes side. */
public class ConsumerCallingKube {
    public void onRecord() {
        new KubeCallingKafka().write();
    }
}
