package dev.grantflow.testing;

import dev.grantflow.kafka.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Runs a real Kafka broker (separate JVM, KRaft) for a {@code @QuarkusTest} and creates the project's topics with
 * their docs/design.md cleanup policies. Sets {@code kafka.bootstrap.servers} for the application under test.
 *
 * <p>Use with {@code @QuarkusTestResource(KafkaBrokerResource.class)} (or {@code @WithTestResource}); inject the
 * running broker into the test with {@code @InjectKafkaBroker KafkaBroker broker}.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    private KafkaBroker broker;

    @Override
    public Map<String, String> start() {
        broker = KafkaBroker.start();
        broker.createTopics(GrantflowTopics.specs());
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(broker, new TestInjector.AnnotatedAndMatchesType(InjectKafkaBroker.class,
                KafkaBroker.class));
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
