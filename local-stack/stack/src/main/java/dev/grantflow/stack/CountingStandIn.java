package dev.grantflow.stack;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The same local Kubernetes API stand-in as {@link KubeStandIn} (fabric8's mock API server in CRUD mode), with every
 * request counted by who sent it, its method and the kind of resource it names: {@code service POST secrets},
 * {@code bench GET namespaces watch}, ... Requests from this class's own client carry the user agent
 * {@value #BENCH_AGENT} and count as {@code bench}; every other request (the services') counts as {@code service}.
 * For benchmarks that must tell what a service asked of the API from what the benchmark itself did.
 */
final class CountingStandIn implements AutoCloseable {

    static final String BENCH_AGENT = "grantflow-benchmark";

    /**
     * The mock server logs every request through java.util.logging (which holds loggers weakly): held here so that the
     * level sticks, as in {@link KubeStandIn}; a log line per request would cost the stand-in's time.
     */
    private static final java.util.logging.Logger MOCK_SERVER_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final Map<String, AtomicLong> counts;

    private CountingStandIn(KubernetesMockServer server, KubernetesClient client, Map<String, AtomicLong> counts) {
        this.server = server;
        this.client = client;
        this.counts = counts;
    }

    static CountingStandIn start() {
        Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
        KubernetesCrudDispatcher dispatcher = new KubernetesCrudDispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                counts.computeIfAbsent(describe(request), k -> new AtomicLong()).incrementAndGet();
                return super.dispatch(request);
            }
        };
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        String url = "http://127.0.0.1:" + server.getPort();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl(url).withNamespace("default").withUserAgent(BENCH_AGENT).build()).build();
        return new CountingStandIn(server, client, counts);
    }

    /** {@code <who> <method> <resource>[ watch]}, e.g. {@code service POST secrets}. */
    static String describe(RecordedRequest request) {
        String agent = request.getHeader("User-Agent");
        String who = agent != null && agent.startsWith(BENCH_AGENT) ? "bench" : "service";
        String path = request.getPath() == null ? "" : request.getPath();
        int query = path.indexOf('?');
        String resource = resource(query < 0 ? path : path.substring(0, query));
        boolean watch = query >= 0 && path.substring(query).contains("watch=true");
        return who + " " + request.getMethod() + " " + resource + (watch ? " watch" : "");
    }

    /** The resource plural a path names: {@code /api/v1/namespaces/a/secrets/b} -> {@code secrets}. */
    private static String resource(String path) {
        String[] parts = path.split("/");
        // /api/v1/<plural>[/<name>] or /api/v1/namespaces/<ns>/<plural>[/<name>]; /apis/<group>/<version>/...
        int start = path.startsWith("/apis/") ? 4 : 3;
        if (parts.length <= start) {
            return path;
        }
        if ("namespaces".equals(parts[start]) && parts.length > start + 2) {
            return parts[start + 2];
        }
        return parts[start];
    }

    KubernetesClient client() {
        return client;
    }

    /** Environment that points a service process at this API. */
    Map<String, String> serviceEnvironment() {
        return Map.of("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", url(),
                "QUARKUS_KUBERNETES_CLIENT_NAMESPACE", "default");
    }

    String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    /** The counts so far, sorted by description. */
    Map<String, Long> counts() {
        Map<String, Long> snapshot = new TreeMap<>();
        counts.forEach((k, v) -> snapshot.put(k, v.get()));
        return snapshot;
    }

    /** The sum over the descriptions that start with {@code prefix} (e.g. {@code "service "}). */
    static long total(Map<String, Long> counts, String prefix) {
        return counts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(Map.Entry::getValue)
                .sum();
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
