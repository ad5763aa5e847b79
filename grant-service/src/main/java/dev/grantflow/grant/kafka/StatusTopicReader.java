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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads the compacted status topic to its end: the status last published per key. A restarted instance starts from
 * it, so that it publishes only what changes instead of every status again; the grants view takes the verification
 * receipts the records carry (header {@link VerificationReceipts#HEADER}). Every key's status is held: the strings
 * statuses repeat (reason, tenant, grant name, most messages) are shared ({@link InternedStrings}).
 *
 * <p>At a start the status seed and the grants view both need the topic, at the same moment: {@link #atStart} reads it
 * once for both (a caller that finds a start read running takes its result), where two reads competed for the cores.
 *
 * <p>Every whole read says where it ended ({@link ReadUpTo}: the topic's id and an offset per partition), so that a
 * later read takes only what was written since ({@link #since}), instead of every status again: a shard takeover
 * over 100,000 keys read the whole topic, for seconds, on the grants view's thread.
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

    /** One status record as a start reads it: its key (null: skipped), status and receipt (either may be null). */
    private record StartRead(GrantKey key, GrantStatus status, VerificationReceipts.Receipt receipt) {

        /** Null (the key removed) for a tombstone, or for a value that is no status and carries no receipt. */
        StartRead latest() {
            return status == null && receipt == null ? null : this;
        }
    }

    /**
     * What the status topic held when a start read it: the latest status of each key, and the verification receipt
     * the latest record of each key carries (keys whose latest record carries none, or is a tombstone, are absent).
     * Shared by the callers of one read: they read the maps and do not change them.
     */
    public record Published(Map<GrantKey, GrantStatus> statuses, Map<GrantKey, VerificationReceipts.Receipt> receipts,
                            ReadUpTo upTo) {
    }

    /**
     * Where a read ended: the id of the topic it read ({@code null}: not known) and, per partition, the offset of the
     * next record it had not read.
     */
    public record ReadUpTo(String topicId, Map<Integer, Long> offsets) {

        public ReadUpTo {
            offsets = Map.copyOf(offsets);
        }
    }

    /** The latest status per key, and where the read ended. */
    public record Snapshot(Map<GrantKey, GrantStatus> statuses, ReadUpTo upTo) {
    }

    /**
     * What was written after a {@link ReadUpTo}: the latest status of each key written since ({@code published}), the
     * keys whose latest record since is a tombstone or no status ({@code removed}), how many records were read, and
     * where this read ended.
     */
    public record Changes(Map<GrantKey, GrantStatus> published, Set<GrantKey> removed, long records, ReadUpTo upTo) {
    }

    /** The start read in progress, if any: a second caller takes its result instead of reading again. */
    private final AtomicReference<CompletableFuture<Published>> startRead = new AtomicReference<>();

    /** The status last published per key. Each poll's records are parsed on every core, then taken in order. */
    public Map<GrantKey, GrantStatus> latest(Duration timeout) {
        return snapshot(timeout).statuses();
    }

    /** As {@link #latest}, with where the read ended. */
    public Snapshot snapshot(Duration timeout) {
        Whole<GrantStatus> read = read(timeout, consumer -> poll(consumer, record -> new Read(key(record),
                status(record))), Read::key, Read::status);
        return new Snapshot(read.latest(), read.upTo());
    }

    /**
     * The records written after {@code from}, read to the topic's end; empty when they cannot tell what changed since:
     * the topic was replaced (another id), its partitions changed, or an offset of {@code from} is no longer in the
     * partition (the caller then reads the whole topic).
     *
     * @throws IllegalStateException when the read fails or {@code timeout} passes first
     */
    public Optional<Changes> since(ReadUpTo from, Duration timeout) {
        Deadline deadline = Deadline.after(timeout);
        String id = topicId(timeout);
        if (from.topicId() == null || !from.topicId().equals(id)) {
            return Optional.empty();
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, timeout);
            if (!partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet())
                    .equals(from.offsets().keySet())) {
                return Optional.empty();
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, timeout);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            for (TopicPartition partition : partitions) {
                long offset = from.offsets().get(partition.partition());
                if (offset < beginning.get(partition) || offset > end.get(partition)) {
                    return Optional.empty();
                }
                consumer.seek(partition, offset);
            }
            long[] records = {0};
            // A key's latest record since may remove it: kept as an empty value, not dropped as a whole read drops it.
            Map<GrantKey, Optional<GrantStatus>> latest = CompactedTopicRead.latest(new CompactedTopicRead.Log<>(topic,
                    partitions, end, consumer::position, () -> {
                        List<Read> polled = poll(consumer, record -> new Read(key(record), status(record)));
                        records[0] += polled.size();
                        return polled;
                    }), deadline, Read::key, read -> Optional.ofNullable(read.status()));
            Map<GrantKey, GrantStatus> published = new HashMap<>();
            Set<GrantKey> removed = new HashSet<>();
            latest.forEach((key, status) -> status.ifPresentOrElse(s -> published.put(key, s), () -> removed.add(key)));
            return Optional.of(new Changes(published, removed, records[0], upTo(id, consumer, partitions)));
        }
    }

    /**
     * The statuses and receipts the topic holds, read once for the callers of a start: a caller that finds a start read
     * running waits for it (at most {@code timeout}) and shares its result; otherwise it reads. A finished read is not
     * kept: a later caller reads again, and {@link #latest} always reads.
     *
     * @throws IllegalStateException when the read fails or {@code timeout} passes first
     */
    public Published atStart(Duration timeout) {
        CompletableFuture<Published> mine = new CompletableFuture<>();
        CompletableFuture<Published> running = startRead.compareAndExchange(null, mine);
        if (running != null) {
            return join(running, timeout);
        }
        try {
            Whole<StartRead> whole = read(timeout, consumer -> poll(consumer,
                    record -> new StartRead(key(record), status(record), receipt(record))), StartRead::key,
                    StartRead::latest);
            Map<GrantKey, GrantStatus> statuses = new HashMap<>();
            Map<GrantKey, VerificationReceipts.Receipt> receipts = new HashMap<>();
            whole.latest().forEach((key, read) -> {
                if (read.status() != null) {
                    statuses.put(key, read.status());
                }
                if (read.receipt() != null) {
                    receipts.put(key, read.receipt());
                }
            });
            Published published = new Published(statuses, receipts, whole.upTo());
            mine.complete(published);
            return published;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            startRead.compareAndSet(mine, null);
        }
    }

    private static Published join(CompletableFuture<Published> running, Duration timeout) {
        try {
            return running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the status topic's start read", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the status topic's start read took longer than " + timeout, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the status topic's start read failed: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /** One poll's records, each read by {@code read}: on every core when there are enough of them, in order. */
    private static <R> List<R> poll(KafkaConsumer<byte[], byte[]> consumer,
                                    Function<ConsumerRecord<byte[], byte[]>, R> read) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        consumer.poll(POLL).forEach(records::add);
        return (records.size() < PARALLEL_PARSE ? records.stream() : records.parallelStream()).map(read).toList();
    }

    /** A whole read: the latest value per key, and where it ended. */
    private record Whole<V>(Map<GrantKey, V> latest, ReadUpTo upTo) {
    }

    private <R, V> Whole<V> read(Duration timeout, Function<KafkaConsumer<byte[], byte[]>, Iterable<? extends R>> poll,
                                 Function<R, GrantKey> key, Function<R, V> value) {
        Deadline deadline = Deadline.after(timeout);
        // The id first: a topic replaced during the read makes the next read whole again, never partial.
        String id = topicId(timeout);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, timeout);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            CompactedTopicRead.Log<TopicPartition, R> log = new CompactedTopicRead.Log<>(topic, partitions,
                    consumer.endOffsets(partitions, timeout), consumer::position, () -> poll.apply(consumer));
            Map<GrantKey, V> latest = CompactedTopicRead.latest(log, deadline, key, value);
            return new Whole<>(latest, upTo(id, consumer, partitions));
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(AssignedConsumerConfig.from(kafkaConfig), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, Duration timeout) {
        return consumer.partitionsFor(topic, timeout).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    private static ReadUpTo upTo(String topicId, KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
        Map<Integer, Long> offsets = new HashMap<>();
        partitions.forEach(partition -> offsets.put(partition.partition(), consumer.position(partition)));
        return new ReadUpTo(topicId, offsets);
    }

    /** The topic's id, or null when the broker does not tell it (a later read is then whole, never partial). */
    private String topicId(Duration timeout) {
        try (Admin admin = Admin.create(AssignedConsumerConfig.from(kafkaConfig))) {
            TopicDescription description = TopicDescriptions.of(admin, topic, timeout);
            return description == null || description.topicId() == null ? null : description.topicId().toString();
        }
    }

    /** The record's grant key, or null when it has none or it cannot be read (the record is skipped). */
    private static GrantKey key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null
                : InternedStrings.of(GrantKey.parse(new String(record.key(), StandardCharsets.UTF_8)).orElse(null));
    }

    /** The record's status, or null for a tombstone or a value that cannot be read (the key is then removed). */
    private static GrantStatus status(ConsumerRecord<byte[], byte[]> record) {
        return record.value() != null
                && Json.parseShared(record.value(), GrantStatus.class) instanceof Parsed.Ok<GrantStatus> ok
                ? ok.value() : null;
    }

    /** The record's receipt, or null for a tombstone or a status without one. */
    private static VerificationReceipts.Receipt receipt(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.value() == null ? null : record.headers().lastHeader(VerificationReceipts.HEADER);
        return header == null || header.value() == null ? null
                : VerificationReceipts.Receipt.parse(new String(header.value(), StandardCharsets.UTF_8)).orElse(null);
    }
}
