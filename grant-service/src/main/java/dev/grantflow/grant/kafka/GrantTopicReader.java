package dev.grantflow.grant.kafka;

import dev.grantflow.grant.config.GrantServiceConfig;
import dev.grantflow.grant.domain.GrantLedger;
import dev.grantflow.grant.domain.GrantRecordMapper;
import dev.grantflow.grant.domain.GrantTraces;
import dev.grantflow.grant.domain.ReconcileTrigger;
import dev.grantflow.grant.domain.Shards;
import dev.grantflow.grant.domain.VerificationReceipts;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.control.Backoff;
import dev.grantflow.trust.Signatures;
import dev.grantflow.model.control.RateLimiter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * This instance's view of the whole grants topic: every partition, read from the beginning and then followed, by a
 * consumer of its own (assigned, not in a group), into the {@link GrantLedger}. Every instance holds the complete
 * desired state, wherever a producer put a record; which instance acts on a key is decided by {@link Shards}.
 *
 * <p>The view knows the topic's id: a topic deleted and re-created under the same name (or another cluster behind a
 * wrong bootstrap address) has another id, so the view starts over (checked every
 * {@code grantflow.grants.topic-check-period}), and objects made from the old topic are never collected against the
 * new one. After each poll the view's positions may activate shards waiting for it.
 */
@ApplicationScoped
public class GrantTopicReader {

    private static final Logger LOG = Logger.getLogger(GrantTopicReader.class);
    /** How long shards may wait for the view before the wait is logged (with the view's positions). */
    private static final Duration WAITING_REPORT = Duration.ofSeconds(5);
    /** Batches of at least this many records are decoded in parallel (the start reads whole topics). */
    private static final int PARALLEL_DECODE = 16;
    /** How long the first read may take to read the verification receipts of the status topic. */
    private static final Duration RECEIPTS_WAIT = Duration.ofSeconds(30);
    /** How long describing the topic (its id and partitions) may take. */
    private static final Duration DESCRIBE_WAIT = Duration.ofSeconds(30);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @ConfigProperty(name = "mp.messaging.incoming.grants-in.topic")
    String topic;

    @Inject
    GrantServiceConfig config;

    @Inject
    GrantLedger ledger;

    @Inject
    Shards shards;

    @Inject
    ReconcileTrigger trigger;

    @Inject
    GrantTraces traces;

    @Inject
    GrantRecordMapper mapper;

    @Inject
    VerificationReceipts receipts;

    @Inject
    StatusTopicReader statusTopic;

    @Inject
    MeterRegistry registry;

    private final Map<Integer, Long> positions = new ConcurrentHashMap<>();
    private volatile Map<Integer, Long> startEnd;
    private volatile String topicId;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private long waitingSince;
    private Thread thread;

    void onStart(@Observes StartupEvent event) {
        FunctionCounter.builder("grantflow.signature.checks", receipts, VerificationReceipts::issued).tag("by", "key")
                .description("Grants records whose signature was verified with the signer's key (and receipted)")
                .register(registry);
        FunctionCounter.builder("grantflow.signature.checks", receipts, VerificationReceipts::accepted)
                .tag("by", "receipt").description("Grants records whose signature check a verification receipt spared")
                .register(registry);
        running = true;
        thread = new Thread(this::run, "grants-view");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    /** Every partition was read up to the end offsets it had when the view started. */
    public boolean caughtUp() {
        Map<Integer, Long> target = startEnd;
        return target != null && target.entrySet().stream()
                .allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    /** Records still to read up to the end offsets the view started with. */
    public long lag() {
        Map<Integer, Long> target = startEnd;
        return target == null ? -1 : target.entrySet().stream()
                .mapToLong(e -> Math.max(0, e.getValue() - positions.getOrDefault(e.getKey(), 0L))).sum();
    }

    /** Kafka's id of the grants topic, or null before the view first reached the broker. */
    public String topicId() {
        return topicId;
    }

    private void run() {
        loadReceipts();
        Backoff backoff = new Backoff(RateLimiter.exponentialWithJitter(Duration.ofMillis(200), Duration.ofSeconds(30)));
        while (running) {
            try (Admin admin = Admin.create(AssignedConsumerConfig.from(kafkaConfig));
                    KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(AssignedConsumerConfig.from(kafkaConfig), new StringDeserializer(),
                            new ByteArrayDeserializer())) {
                consumer = kafka;
                follow(admin, kafka, backoff);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                Duration delay = backoff.next();
                LOG.warnf("Reading %s failed, retrying in %d ms: %s", topic, delay.toMillis(), e.getMessage());
                pause(delay);
            } finally {
                consumer = null;
            }
        }
    }

    /** Reads the topic until stopped, or until its id or partition count changes (then the caller starts over). */
    private void follow(Admin admin, KafkaConsumer<String, byte[]> kafka, Backoff backoff) {
        TopicDescription description = describe(admin);
        String id = description.topicId().toString();
        if (topicId != null && !topicId.equals(id)) {
            LOG.warnf("Topic %s was replaced (id %s, was %s): reading the new one from its beginning; copies made "
                    + "from the old one are never collected against it", topic, id, topicId);
            positions.clear();
            traces.clear();
        }
        ledger.readsTopic(id);
        List<TopicPartition> partitions = description.partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        kafka.assign(partitions);
        for (TopicPartition tp : partitions) {
            Long position = positions.get(tp.partition());
            if (position == null) {
                kafka.seekToBeginning(List.of(tp));
            } else {
                kafka.seek(tp, position);
            }
        }
        Map<Integer, Long> end = new HashMap<>();
        kafka.endOffsets(partitions).forEach((tp, offset) -> end.put(tp.partition(), offset));
        if (!id.equals(topicId)) {
            if (topicId != null) {
                shards.rewind(end);
            }
            startEnd = Map.copyOf(end);
            topicId = id;
        }
        LOG.infof("Following %s (id %s, %d partitions) from %s", topic, id, partitions.size(), positions);
        long nextCheck = System.nanoTime() + config.topicCheckPeriod().toNanos();
        while (running) {
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            kafka.poll(Duration.ofMillis(200)).forEach(records::add);
            // Decoding verifies each record's signature (ECDSA, about a millisecond of CPU each) unless the key's
            // receipt vouches for it: a batch is decoded on every core, then applied to the ledger in the order read.
            List<GrantRecordMapper.Decoded> decoded = records.size() < PARALLEL_DECODE ? records.stream()
                    .map(this::decode).toList() : records.parallelStream().map(this::decode).toList();
            for (int i = 0; i < records.size(); i++) {
                read(records.get(i), decoded.get(i));
            }
            backoff.reset();
            for (TopicPartition tp : partitions) {
                positions.put(tp.partition(), kafka.position(tp));
            }
            Set<Integer> activated = shards.activate(positions);
            if (!activated.isEmpty()) {
                LOG.infof("Grant shards %s active: the view holds every record up to their assignment", activated);
                trigger.shardsActivated(activated);
                waitingSince = 0;
            } else if (shards.pending().isEmpty()) {
                waitingSince = 0;
            } else if (waitingSince == 0) {
                waitingSince = System.nanoTime();
            } else if (System.nanoTime() - waitingSince > WAITING_REPORT.toNanos()) {
                LOG.infof("Grant shards %s still wait for the view, which is at %s", shards.pending(), positions);
                waitingSince = System.nanoTime();
            }
            if (System.nanoTime() > nextCheck) {
                nextCheck = System.nanoTime() + config.topicCheckPeriod().toNanos();
                TopicDescription now = describe(admin);
                if (!now.topicId().toString().equals(id) || now.partitions().size() != partitions.size()) {
                    return;
                }
            }
        }
    }

    /**
     * Takes the receipts the status topic holds, so that the first read of the grants topic checks them instead of
     * every signature; when the status topic cannot be read, every record is verified. The status seed reads the
     * topic at the same moment: one read serves both ({@link StatusTopicReader#atStart}).
     */
    private void loadReceipts() {
        try {
            Map<GrantKey, VerificationReceipts.Receipt> published = statusTopic.atStart(RECEIPTS_WAIT).receipts();
            receipts.load(published);
            LOG.infof("Read %d verification receipts from the status topic", published.size());
        } catch (RuntimeException e) {
            LOG.warnf("Reading the verification receipts failed; every grants record's signature is verified: %s",
                    e.getMessage());
        }
    }

    private GrantRecordMapper.Decoded decode(ConsumerRecord<String, byte[]> record) {
        return mapper.decode(record.key(), record.value(), header(record, Signatures.HEADER),
                receipts.ofRecordKey(record.key()));
    }

    private void read(ConsumerRecord<String, byte[]> record, GrantRecordMapper.Decoded decoded) {
        GrantLedger.Position at = new GrantLedger.Position(record.partition(), record.offset(),
                Math.max(0, record.timestamp()));
        if (decoded instanceof GrantRecordMapper.Revoke revoke) {
            LOG.debugf("Grant %s: tombstone at %d@%d", revoke.key(), at.partition(), at.offset());
            ledger.revoke(revoke.key(), at);
            receipts.hold(revoke.key(), null);
            traces.read(revoke.key(), header(record, "traceparent"));
            trigger.enqueue(revoke.key());
        } else if (decoded instanceof GrantRecordMapper.Entry entry) {
            LOG.debugf("Grant %s generation %d at %d@%d", entry.entry().key(), entry.entry().generation(),
                    at.partition(), at.offset());
            ledger.put(entry.entry(), at);
            receipts.hold(entry.entry().key(), entry.receipt());
            traces.read(entry.entry().key(), header(record, "traceparent"));
            trigger.enqueue(entry.entry().key());
        } else if (decoded instanceof GrantRecordMapper.Refused refused) {
            // Logged and audited once, by the consumer group (GrantConsumer); here it only may be reported.
            ledger.refuse(refused.entry());
            trigger.enqueue(refused.entry().key());
        }
        // Unreadable records are reported and dead-lettered once, by the consumer group (GrantConsumer). Ignored
        // tombstones change nothing.
    }

    /**
     * A header's value as text, or null: {@code traceparent} (the W3C trace context the reconcile of the key
     * continues) or the signature.
     */
    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private TopicDescription describe(Admin admin) {
        return TopicDescriptions.of(admin, topic, DESCRIBE_WAIT);
    }

    private void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
