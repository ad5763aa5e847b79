package dev.grantflow.grant.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Settings of a consumer that reads a topic's partitions by assignment, outside any consumer group (the grants view,
 * the status read-back): the default Kafka configuration (bootstrap servers, security) without group settings and
 * without commits.
 *
 * <p>A start reads whole topics with these consumers, several at once. What one poll hands over (its records, their
 * decoded values) and what a fetch buffers stay alive across young collections, and with the Deployment's small young
 * generation they are promoted and fill the old one. Until ready in a restart over 100,000 grants: polls of 5,000
 * records and fetches of 1 MiB per partition, 13 full collections and 2.8-3.4 s of pauses (young and full); polls of
 * 1,000 and fetches of 256 KiB, 4-5 full collections and 1.4-2.0 s (docs/benchmarks.md, grant-service, "Restart:
 * smaller polls"). A record larger than the fetch size still comes, alone (Kafka returns at least one batch).
 */
final class AssignedConsumerConfig {

    /** Records per poll: enough for decoding on every core, few enough to die young. */
    static final int MAX_POLL_RECORDS = 1000;
    /** Bytes per partition and fetch (Kafka's default: 1 MiB). */
    static final int MAX_PARTITION_FETCH_BYTES = 256 * 1024;

    private AssignedConsumerConfig() {
    }

    static Map<String, Object> from(Map<String, Object> defaults) {
        Map<String, Object> config = new HashMap<>(defaults);
        config.keySet().removeIf(key -> key.startsWith("group.") || key.equals("client.id"));
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_PARTITION_FETCH_BYTES);
        return config;
    }
}
