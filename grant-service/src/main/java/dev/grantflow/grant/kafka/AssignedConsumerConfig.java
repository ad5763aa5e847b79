package dev.grantflow.grant.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Settings of a consumer that reads a topic's partitions by assignment, outside any consumer group (the grants view,
 * the status read-back): the default Kafka configuration (bootstrap servers, security) without group settings and
 * without commits.
 */
final class AssignedConsumerConfig {

    private AssignedConsumerConfig() {
    }

    static Map<String, Object> from(Map<String, Object> defaults) {
        Map<String, Object> config = new HashMap<>(defaults);
        config.keySet().removeIf(key -> key.startsWith("group.") || key.equals("client.id"));
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        return config;
    }
}
