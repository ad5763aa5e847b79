package dev.grantflow.grantctl.kafka;

import dev.grantflow.grantctl.config.Settings;
import dev.grantflow.grantctl.domain.GrantctlFailure;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Kafka client settings of a grantctl run: the bootstrap servers, the pass-through properties (SASL, TLS, ...), and
 * what grantctl fixes itself (no consumer group, no commits; acks=all and idempotence for the producer).
 */
public final class KafkaClients {

    private final Settings settings;

    public KafkaClients(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    private Map<String, Object> common() {
        Map<String, Object> config = new HashMap<>();
        long timeoutMs = settings.connectTimeout().toMillis();
        config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeoutMs));
        config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeoutMs));
        config.putAll(settings.kafkaProperties());
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        return config;
    }

    /** An assigned consumer's settings: no group, no commits. */
    public Map<String, Object> consumer() {
        Map<String, Object> config = common();
        config.keySet().removeIf(key -> key.startsWith("group."));
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        return config;
    }

    /** The producer's settings: acks=all, idempotent, bounded by the connect timeout. */
    public Map<String, Object> producer() {
        Map<String, Object> config = common();
        long timeoutMs = settings.connectTimeout().toMillis();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
        // delivery.timeout.ms must be at least linger.ms + request.timeout.ms
        config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                (int) Math.min(Integer.MAX_VALUE, Math.max(timeoutMs * 2, 1000)));
        return config;
    }

    /** A client failure as exit code 5, saying what to check; {@code doing} is e.g. "reading grantflow.grants.v1". */
    public GrantctlFailure failure(String doing, Throwable error) {
        Throwable cause = error instanceof ExecutionException && error.getCause() != null ? error.getCause() : error;
        String what = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        String hint;
        if (cause instanceof TimeoutException) {
            hint = "no answer from Kafka at " + settings.bootstrapServers() + " within "
                    + settings.connectTimeout().toSeconds() + "s; check --bootstrap-servers (GRANTCTL_BOOTSTRAP_SERVERS), "
                    + "the network, and the security settings (kafka.security.protocol, ...)";
        } else if (cause instanceof AuthenticationException) {
            hint = "Kafka at " + settings.bootstrapServers() + " refused to authenticate grantctl; check the SASL/TLS "
                    + "settings (kafka.sasl.*, kafka.ssl.*)";
        } else if (cause instanceof AuthorizationException) {
            hint = "the Kafka principal lacks a permission (ACL); see grantctl/README.md \"Kafka permissions\"";
        } else if (cause instanceof KafkaException) {
            hint = "Kafka at " + settings.bootstrapServers() + " failed";
        } else {
            hint = "Kafka at " + settings.bootstrapServers() + " failed";
        }
        return GrantctlFailure.kafka(doing + ": " + hint + " (" + what + ")");
    }
}
