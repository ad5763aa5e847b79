package dev.grantflow.testing;

import dev.grantflow.kafka.KafkaBroker.TopicSpec;
import dev.grantflow.model.event.Topics;
import java.util.List;

/** Maps the model's topic definitions to broker topic specs. */
public final class GrantflowTopics {

    public static List<TopicSpec> specs() {
        return Topics.ALL.stream()
                .map(t -> new TopicSpec(t.name(), t.partitions(), t.config()))
                .toList();
    }

    private GrantflowTopics() {
    }
}
