package dev.grantflow.watcher.kafka;

import dev.grantflow.model.control.Deadline;
import dev.grantflow.model.event.CompactedTopicRead;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads the keys that the compacted tenants topic currently holds a (non-tombstone) record for. A new leader uses
 * them to tombstone tenants whose namespace disappeared while no replica was publishing.
 */
@ApplicationScoped
public class TenantTopicReader {

    private static final Duration POLL = Duration.ofMillis(200);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @ConfigProperty(name = "mp.messaging.outgoing.tenants-out.topic")
    String topic;

    /** Reads the topic from the beginning to its current end. */
    public Set<String> liveKeys(Duration timeout) {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.keySet().removeIf(key -> key.startsWith("group.") || key.equals("client.id"));
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Deadline deadline = Deadline.after(timeout);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            CompactedTopicRead.Log<TopicPartition, ConsumerRecord<byte[], byte[]>> log = new CompactedTopicRead.Log<>(topic,
                    partitions, consumer.endOffsets(partitions, timeout), consumer::position, () -> consumer.poll(POLL));
            // Only whether a key's latest record is a tombstone matters, not its value.
            return new HashSet<>(CompactedTopicRead.latest(log, deadline,
                    r -> r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                    r -> r.value() == null ? null : Boolean.TRUE).keySet());
        }
    }
}
