package dev.grantflow.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fabric8 mock API server in CRUD mode (as {@code @WithKubernetesTestServer(crud = true)} starts it) behind a
 * {@link KubeApiProxy}: the application under test talks to the proxy
 * ({@code quarkus.kubernetes-client.api-server-url}), its informers' watches included (tunnelled).
 *
 * <p>Inject the proxy with {@code @InjectKubeApiProxy KubeApiProxy proxy} and a client that bypasses it with
 * {@code @InjectMockKubeClient KubernetesClient kube}. Init arg {@code request-timeout} (a Quarkus duration, default
 * {@code 2s}) sets the client's request timeout, which is how long a {@link KubeApiProxy.Answer.Hang} lasts.
 */
public class KubeApiProxyResource implements QuarkusTestResourceLifecycleManager {

    private final Map<String, String> previous = new HashMap<>();
    private String requestTimeout = "2s";
    private KubernetesServer server;
    private KubeApiProxy proxy;

    @Override
    public void init(Map<String, String> initArgs) {
        requestTimeout = initArgs.getOrDefault("request-timeout", requestTimeout);
    }

    @Override
    public Map<String, String> start() {
        server = new KubernetesServer(false, true, InetAddress.getLoopbackAddress(), 0, List.of());
        server.before();
        try {
            proxy = KubeApiProxy.start(URI.create(server.getClient().getConfiguration().getMasterUrl()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Read by fabric8 as system properties (as the Quarkus mock server resource sets them); restored on stop.
        Map<String, String> system = Map.of(
                Config.KUBERNETES_MASTER_SYSTEM_PROPERTY, proxy.uri().toString(),
                Config.KUBERNETES_TRUST_CERT_SYSTEM_PROPERTY, "true",
                Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY, "false",
                Config.KUBERNETES_AUTH_TRYSERVICEACCOUNT_SYSTEM_PROPERTY, "false",
                Config.KUBERNETES_NAMESPACE_SYSTEM_PROPERTY, "test",
                Config.KUBERNETES_HTTP2_DISABLE, "true");
        system.forEach((key, value) -> {
            previous.put(key, System.getProperty(key));
            System.setProperty(key, value);
        });
        Map<String, String> config = new HashMap<>(system);
        config.put("quarkus.kubernetes-client.api-server-url", proxy.uri().toString());
        config.put("quarkus.kubernetes-client.request-timeout", requestTimeout);
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(proxy,
                new TestInjector.AnnotatedAndMatchesType(InjectKubeApiProxy.class, KubeApiProxy.class));
        testInjector.injectIntoFields(server.getClient(),
                new TestInjector.AnnotatedAndMatchesType(InjectMockKubeClient.class, KubernetesClient.class));
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.after();
        }
        previous.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
    }
}
