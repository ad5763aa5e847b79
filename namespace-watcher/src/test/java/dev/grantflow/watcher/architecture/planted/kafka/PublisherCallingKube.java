package dev.grantflow.watcher.architecture.planted.kafka;

import dev.grantflow.watcher.architecture.planted.kube.KubeSendingRecords;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Planted for NamespaceWatcherLayersTest: Kafka in {@code kafka} is allowed; calling back into {@code kube} closes a
 * cycle.
 */
public class PublisherCallingKube {
    public ProducerRecord<String, String> publish() {
        new KubeSendingRecords().informerSynced();
        return new ProducerRecord<>("topic", "key", "value");
    }
}
