package dev.grantflow.grant.kafka;

import dev.grantflow.grant.domain.InternedStrings;
import dev.grantflow.grant.domain.VerificationReceipts;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads the compacted status topic to its end: the status last published per key. A restarted instance starts from
 * it, so that it publishes only what changes instead of every status again, and takes the verification receipts the
 * records carry (header {@link VerificationReceipts#HEADER}). Every key's status is held: the strings
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

    /** What the topic holds per key: the status last published and the verification receipt it carried. */
    public record Published(Map<GrantKey, GrantStatus> statuses, Map<GrantKey, VerificationReceipts.Receipt> receipts) {
    }

    private record Seen(GrantStatus status, VerificationReceipts.Receipt receipt) {
    }

    public Map<GrantKey, GrantStatus> latest(Duration timeout) {
        return published(timeout).statuses();
    }

    public Published published(Duration timeout) {
        Map<GrantKey, Seen> seen = read(timeout);
        Map<GrantKey, GrantStatus> statuses = new HashMap<>(seen.size() * 4 / 3 + 1);
        Map<GrantKey, VerificationReceipts.Receipt> receipts = new HashMap<>(seen.size() * 4 / 3 + 1);
        seen.forEach((key, value) -> {
            statuses.put(key, value.status());
            if (value.receipt() != null) {
                receipts.put(key, value.receipt());
            }
        });
        return new Published(statuses, receipts);
    }

    private Map<GrantKey, Seen> read(Duration timeout) {
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
            return CompactedTopicRead.latest(log, deadline, StatusTopicReader::key, StatusTopicReader::seen);
        }
    }

    /** The record's grant key, or null when it has none or it cannot be read (the record is skipped). */
    private static GrantKey key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null
                : InternedStrings.of(GrantKey.parse(new String(record.key(), StandardCharsets.UTF_8)).orElse(null));
    }

    /**
     * The record's status and receipt, or null for a tombstone or a value that cannot be read (the key is then
     * removed).
     */
    private static Seen seen(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null || !(Json.parse(record.value(), GrantStatus.class) instanceof Parsed.Ok<GrantStatus> ok)) {
            return null;
        }
        Header receipt = record.headers().lastHeader(VerificationReceipts.HEADER);
        return new Seen(InternedStrings.of(ok.value()), receipt == null || receipt.value() == null ? null
                : VerificationReceipts.Receipt.parse(new String(receipt.value(), StandardCharsets.UTF_8)).orElse(null));
    }
}
