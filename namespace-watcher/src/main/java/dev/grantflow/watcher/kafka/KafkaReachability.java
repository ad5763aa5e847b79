package dev.grantflow.watcher.kafka;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Whether the Kafka cluster answers, within a bound that suits a readiness probe. (The Kafka extension's own check
 * waits for the admin client's default API timeout, a minute, which outlives any probe.)
 */
@ApplicationScoped
public class KafkaReachability {

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    private Admin admin;

    /** Null when the cluster answered, otherwise why not. */
    public synchronized String problem() {
        try {
            admin().describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                    .nodes().get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return cause.getClass().getSimpleName() + ": " + cause.getMessage();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        synchronized (this) {
            if (admin != null) {
                admin.close(Duration.ofSeconds(2));
            }
        }
    }

    private Admin admin() {
        if (admin == null) {
            Map<String, Object> config = new HashMap<>();
            kafkaConfig.forEach((key, value) -> {
                if (AdminClientConfig.configNames().contains(key)) {
                    config.put(key, value);
                }
            });
            config.put(AdminClientConfig.CLIENT_ID_CONFIG, "namespace-watcher-readiness");
            admin = Admin.create(config);
        }
        return admin;
    }
}
