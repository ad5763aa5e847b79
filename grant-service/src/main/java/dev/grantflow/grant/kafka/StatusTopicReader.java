package dev.grantflow.grant.kafka;

import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.json.Parsed;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads the compacted status topic to its end: the status last published per key. A restarted instance starts from
 * it, so that it publishes only what changes instead of every status again.
 */
@ApplicationScoped
public class StatusTopicReader {

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @ConfigProperty(name = "mp.messaging.outgoing.status-out.topic")
    String topic;

    public Map<GrantKey, GrantStatus> latest(Duration timeout) {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.keySet().removeIf(key -> key.startsWith("group.") || key.equals("client.id"));
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        Instant deadline = Instant.now().plus(timeout);
        Map<GrantKey, GrantStatus> latest = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Timed out reading " + topic + " to its end");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    GrantKey key = record.key() == null ? null
                            : GrantKey.parse(new String(record.key(), StandardCharsets.UTF_8)).orElse(null);
                    if (key == null) {
                        continue;
                    }
                    if (record.value() != null
                            && Json.parse(record.value(), GrantStatus.class) instanceof Parsed.Ok<GrantStatus> ok) {
                        latest.put(key, ok.value());
                    } else {
                        latest.remove(key);
                    }
                }
            }
        }
        return latest;
    }
}
