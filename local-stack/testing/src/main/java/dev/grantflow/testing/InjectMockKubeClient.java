package dev.grantflow.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code KubernetesClient} field of a test to receive a client connected to the mock API server directly,
 * past the {@link KubeApiProxy} of {@link KubeApiProxyResource}: what a test sets up or reads back through it is
 * neither recorded nor faulted.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface InjectMockKubeClient {
}
