package dev.grantflow.grant.kafka;

import dev.grantflow.grant.domain.InternedStrings;
import dev.grantflow.model.control.Deadline;
import dev.grantflow.model.event.CompactedTopicRead;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.json.Parsed;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads the compacted status topic to its end: the status last published per key. A restarted instance starts from
 * it, so that it publishes only what changes instead of every status again. Every key's status is held: the strings
 * statuses repeat (reason, tenant, grant name, most messages) are shared ({@link InternedStrings}).
 */
@ApplicationScoped
public class StatusTopicReader {

    private static final Duration POLL = Duration.ofMillis(200);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @ConfigProperty(name = "mp.messaging.outgoing.status-out.topic")
    String topic;

    public Map<GrantKey, GrantStatus> latest(Duration timeout) {
        Map<String, Object> config = AssignedConsumerConfig.from(kafkaConfig);
        Deadline deadline = Deadline.after(timeout);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            CompactedTopicRead.Log<TopicPartition, ConsumerRecord<byte[], byte[]>> log = new CompactedTopicRead.Log<>(topic,
                    partitions, consumer.endOffsets(partitions, timeout), consumer::position, () -> consumer.poll(POLL));
            return CompactedTopicRead.latest(log, deadline, StatusTopicReader::key, StatusTopicReader::status);
        }
    }

    /** The record's grant key, or null when it has none or it cannot be read (the record is skipped). */
    private static GrantKey key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null
                : InternedStrings.of(GrantKey.parse(new String(record.key(), StandardCharsets.UTF_8)).orElse(null));
    }

    /** The record's status, or null for a tombstone or a value that cannot be read (the key is then removed). */
    private static GrantStatus status(ConsumerRecord<byte[], byte[]> record) {
        return record.value() != null && Json.parse(record.value(), GrantStatus.class) instanceof Parsed.Ok<GrantStatus> ok
                ? InternedStrings.of(ok.value()) : null;
    }
}
