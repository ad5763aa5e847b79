package dev.grantflow.grantctl.kafka;

import dev.grantflow.grantctl.domain.GrantctlFailure;
import dev.grantflow.model.control.Deadline;
import dev.grantflow.model.event.CompactedTopicRead;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One topic read by an assigned consumer (no group): every partition from the beginning to the end it had when the
 * read started ({@link #readToEnd}), then onwards ({@link #poll}), e.g. to wait for a status or to watch.
 */
public final class TopicTail implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaClients clients;
    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;

    private TopicTail(KafkaClients clients, String topic) {
        this.clients = clients;
        this.topic = topic;
        try {
            this.consumer = new KafkaConsumer<>(clients.consumer(), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
        } catch (KafkaException e) {
            throw clients.failure("setting up a Kafka consumer", e);
        }
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, clients.settings().connectTimeout());
            if (infos == null || infos.isEmpty()) {
                throw GrantctlFailure.kafka("topic " + topic + " does not exist on Kafka at "
                        + clients.settings().bootstrapServers() + "; check the topic name (--grants-topic, "
                        + "--status-topic, --audit-topic) and that Grantflow's topics were created");
            }
            partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            if (e instanceof GrantctlFailure failure) {
                throw failure;
            }
            throw clients.failure("reading " + topic, e);
        }
    }

    /** Opens {@code topic} at the beginning of every partition. */
    public static TopicTail open(KafkaClients clients, String topic) {
        return new TopicTail(clients, topic);
    }

    /** Hands every record up to the end offsets (taken now) to {@code each}, in poll order. */
    public void readToEnd(Consumer<TopicRecord> each) {
        Duration timeout = clients.settings().connectTimeout();
        try {
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            CompactedTopicRead.Log<TopicPartition, ConsumerRecord<byte[], byte[]>> log = new CompactedTopicRead.Log<>(
                    topic, partitions, ends, consumer::position, () -> consumer.poll(POLL));
            // Reading is bounded by the connect timeout per record batch, not in total: a long topic takes longer.
            CompactedTopicRead.toEnd(log, Deadline.after(timeout.multipliedBy(20)), r -> each.accept(record(r)));
        } catch (IllegalStateException e) {
            throw GrantctlFailure.kafka(e.getMessage() + "; Kafka at " + clients.settings().bootstrapServers()
                    + " is slow or unreachable");
        } catch (KafkaException e) {
            throw clients.failure("reading " + topic, e);
        }
    }

    /** Every record to the end, as a list. */
    public List<TopicRecord> readAll() {
        List<TopicRecord> records = new ArrayList<>();
        readToEnd(records::add);
        return records;
    }

    /** One short poll for new records (possibly none). */
    public List<TopicRecord> poll() {
        try {
            List<TopicRecord> records = new ArrayList<>();
            consumer.poll(POLL).forEach(r -> records.add(record(r)));
            return records;
        } catch (KafkaException e) {
            throw clients.failure("reading " + topic, e);
        }
    }

    private static TopicRecord record(ConsumerRecord<byte[], byte[]> r) {
        return new TopicRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value());
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(1));
    }
}
