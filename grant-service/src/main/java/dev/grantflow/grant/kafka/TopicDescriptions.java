package dev.grantflow.grant.kafka;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;

/** A topic described by an Admin (its id, its partitions), for the service's own clients that check them. */
final class TopicDescriptions {

    private TopicDescriptions() {
    }

    /**
     * The description of {@code topic}, waiting at most {@code timeout}.
     *
     * @throws IllegalStateException when it cannot be described in time, or the thread is interrupted
     */
    static TopicDescription of(Admin admin, String topic, Duration timeout) {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + topic, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe " + topic + ": " + e.getMessage(), e);
        }
    }
}
