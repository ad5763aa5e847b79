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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads the compacted status topic to its end: the status last published per key. A restarted instance starts from
 * it, so that it publishes only what changes instead of every status again; the grants view reads the verification
 * receipts the records carry (header {@link VerificationReceipts#HEADER}). Every key's status is held: the strings
 * statuses repeat (reason, tenant, grant name, most messages) are shared ({@link InternedStrings}).
 */
@ApplicationScoped
public class StatusTopicReader {

    private static final Duration POLL = Duration.ofMillis(200);
    /** Polls of at least this many records are parsed in parallel (a start reads the whole topic). */
    private static final int PARALLEL_PARSE = 16;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @ConfigProperty(name = "mp.messaging.outgoing.status-out.topic")
    String topic;

    /** One status record as read: its key (null: skipped) and status (null: the key removed). */
    private record Read(GrantKey key, GrantStatus status) {
    }

    /** The status last published per key. Each poll's records are parsed on every core, then taken in order. */
    public Map<GrantKey, GrantStatus> latest(Duration timeout) {
        return read(timeout, consumer -> {
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            consumer.poll(POLL).forEach(records::add);
            return (records.size() < PARALLEL_PARSE ? records.stream() : records.parallelStream())
                    .map(record -> new Read(key(record), status(record))).toList();
        }, Read::key, Read::status);
    }

    /**
     * The verification receipt the latest status of each key carries ({@link VerificationReceipts#HEADER}); keys
     * whose latest status carries none are absent. Reads keys and headers only: no status is parsed.
     */
    public Map<GrantKey, VerificationReceipts.Receipt> receipts(Duration timeout) {
        return read(timeout, consumer -> consumer.poll(POLL), StatusTopicReader::key, StatusTopicReader::receipt);
    }

    private <R, V> Map<GrantKey, V> read(Duration timeout,
                                         Function<KafkaConsumer<byte[], byte[]>, Iterable<? extends R>> poll,
                                         Function<R, GrantKey> key, Function<R, V> value) {
        Map<String, Object> config = AssignedConsumerConfig.from(kafkaConfig);
        Deadline deadline = Deadline.after(timeout);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            CompactedTopicRead.Log<TopicPartition, R> log = new CompactedTopicRead.Log<>(topic, partitions,
                    consumer.endOffsets(partitions, timeout), consumer::position, () -> poll.apply(consumer));
            return CompactedTopicRead.latest(log, deadline, key, value);
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

    /** The record's receipt, or null for a tombstone or a status without one (the key is then removed). */
    private static VerificationReceipts.Receipt receipt(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.value() == null ? null : record.headers().lastHeader(VerificationReceipts.HEADER);
        return header == null || header.value() == null ? null
                : VerificationReceipts.Receipt.parse(new String(header.value(), StandardCharsets.UTF_8)).orElse(null);
    }
}
