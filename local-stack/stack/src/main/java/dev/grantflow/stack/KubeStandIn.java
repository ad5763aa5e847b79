package dev.grantflow.stack;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * The Kubernetes API the local stack talks to: fabric8's mock API server in CRUD mode (a local stand-in, not a
 * cluster: no scheduler, no controllers, no admission chain), or the real cluster of {@code KUBECONFIG} when set.
 */
final class KubeStandIn implements AutoCloseable {

    /** The stand-in logs every request through java.util.logging; held strongly so that the level sticks. */
    private static final java.util.logging.Logger MOCK_SERVER_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final Map<String, String> serviceEnvironment;

    private KubeStandIn(KubernetesMockServer server, KubernetesClient client, Map<String, String> env) {
        this.server = server;
        this.client = client;
        this.serviceEnvironment = env;
    }

    static KubeStandIn start() {
        return start(new KubernetesCrudDispatcher());
    }

    /** As {@link #start()}, the stand-in answering through {@code dispatcher} (e.g. one that counts requests). */
    static KubeStandIn start(KubernetesCrudDispatcher dispatcher) {
        String kubeconfig = System.getenv("KUBECONFIG");
        if (kubeconfig != null && !kubeconfig.isBlank()) {
            KubernetesClient client = new KubernetesClientBuilder().build();
            return new KubeStandIn(null, client, Map.of("KUBECONFIG", kubeconfig));
        }
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        String url = "http://127.0.0.1:" + server.getPort();
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(url).withNamespace("default").build())
                .build();
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", url);
        env.put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", "default");
        return new KubeStandIn(server, client, env);
    }

    boolean isStandIn() {
        return server != null;
    }

    String describe() {
        return isStandIn()
                ? "local Kubernetes API stand-in (fabric8 mock API server, CRUD mode) at " + client.getMasterUrl()
                : "Kubernetes cluster from KUBECONFIG at " + client.getMasterUrl();
    }

    /** Applies the PodDefault CRD (a stand-in serves custom resources without it; a real cluster needs it). */
    void applyCrd(java.nio.file.Path crd) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(crd)) {
            client.load(in).items().forEach(item -> client.resource(item)
                    .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    KubernetesClient client() {
        return client;
    }

    /** Environment that points a service process at this API. */
    Map<String, String> serviceEnvironment() {
        return serviceEnvironment;
    }

    /**
     * Environment that points a service process at {@code front} (e.g. a fault-injecting proxy) that forwards to the
     * stand-in at {@link #url()}. Only for the stand-in: a cluster of {@code KUBECONFIG} is used as it is.
     */
    Map<String, String> serviceEnvironmentVia(java.net.URI front) {
        if (!isStandIn()) {
            throw new IllegalStateException("a front for the Kubernetes API needs the local stand-in, not KUBECONFIG");
        }
        Map<String, String> env = new HashMap<>(serviceEnvironment);
        env.put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", front.toString());
        return env;
    }

    /** The API's URL. */
    java.net.URI url() {
        return java.net.URI.create(client.getMasterUrl().toString());
    }

    @Override
    public void close() {
        client.close();
        if (server != null) {
            server.destroy();
        }
    }
}
