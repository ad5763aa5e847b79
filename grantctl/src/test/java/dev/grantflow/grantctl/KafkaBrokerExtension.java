package dev.grantflow.grantctl;

import dev.grantflow.kafka.KafkaBroker;
import dev.grantflow.testing.GrantflowTopics;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real Kafka broker (separate JVM, KRaft) with Grantflow's topics, started once for all test classes that use this
 * extension and stopped when the test run ends. grantctl is a command-line tool, not a Quarkus service, so tests run
 * its commands in-process against this broker instead of through a Quarkus test resource.
 */
public class KafkaBrokerExtension implements BeforeAllCallback, ParameterResolver {

    private static final String KEY = KafkaBrokerExtension.class.getName();

    /** The broker as a store value: closed by JUnit at the end of the run. */
    record Running(KafkaBroker broker) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            broker.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        broker(context);
    }

    static KafkaBroker broker(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(KEY, k -> {
            KafkaBroker broker = KafkaBroker.start();
            broker.createTopics(GrantflowTopics.specs());
            return new Running(broker);
        }, Running.class).broker();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return broker(context);
    }
}
