package dev.grantflow.stack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from the beginning in the background: the latest value per key (null after a tombstone), and, when
 * asked to, every record (to scan for values that must not be there).
 */
final class TopicReader implements AutoCloseable {

    private final Map<String, String> latest = new ConcurrentHashMap<>();
    private final List<ConsumerRecord<String, String>> records = new CopyOnWriteArrayList<>();
    private final boolean keepRecords;
    private final Thread thread;
    private volatile boolean running = true;

    TopicReader(String bootstrap, String topic, boolean keepRecords) {
        this.keepRecords = keepRecords;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(50))) {
                        if (this.keepRecords) {
                            records.add(r);
                        }
                        if (r.key() != null) {
                            if (r.value() == null) {
                                latest.remove(r.key());
                            } else {
                                latest.put(r.key(), r.value());
                            }
                        }
                    }
                }
            }
        }, "topic-watch-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    /** The latest value of {@code key}, or null (never written, or tombstoned). */
    String latest(String key) {
        return latest.get(key);
    }

    /** Keys starting with {@code prefix} whose latest value contains {@code fragment}. */
    long countLatest(String prefix, String fragment) {
        return latest.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix) && e.getValue().contains(fragment)).count();
    }

    List<ConsumerRecord<String, String>> records() {
        return new ArrayList<>(records);
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
