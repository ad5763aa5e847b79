package dev.grantflow.admission.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.model.poddefault.PodDefault;
import dev.grantflow.model.poddefault.PodDefaultList;
import dev.grantflow.model.poddefault.PodDefaultSpec;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Local Kubernetes API stand-in for the benchmark: the fabric8 mock API server in CRUD mode, run standalone and
 * loaded with {@code namespaces x perNamespace} PodDefaults shaped like the ones grant-service creates (a Secret
 * volume, its mount, one secretKeyRef env var, managed-by labels). PodDefault {@code pd-<i>} of a namespace selects
 * pods labelled {@code pd-<i>: "true"}. By default PodDefault {@code pd-<i>} injects the same Secret (name
 * {@code grant-<i>}) in every namespace, as a PodDefault rolled out to every profile does; with {@code distinct}, each
 * namespace's PodDefaults name their own Secrets and env vars (nothing injected is equal between two PodDefaults, so
 * the cache can share nothing but the selectors).
 *
 * <p>{@code java ... BenchApiServer <port> <namespaces> <perNamespace> [distinct]}; prints {@code READY} when loaded,
 * then serves until killed.
 */
public final class BenchApiServer {

    private BenchApiServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int namespaces = Integer.parseInt(args[1]);
        int perNamespace = Integer.parseInt(args[2]);
        boolean distinct = args.length > 3 && "distinct".equals(args[3]);
        CustomResourceDefinitionContext crd = new CustomResourceDefinitionContext.Builder()
                .withGroup(PodDefault.GROUP).withVersion(PodDefault.VERSION).withKind(PodDefault.KIND)
                .withPlural(PodDefault.PLURAL).withScope("Namespaced").build();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new PagingCrudDispatcher(List.of(crd)), false);
        server.init(InetAddress.getByName("127.0.0.1"), port);
        long start = System.nanoTime();
        try (KubernetesClient client = server.createClient()) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> pending = new ArrayList<>();
            for (int n = 0; n < namespaces; n++) {
                String ns = String.format("user-%04d", n);
                for (int i = 0; i < perNamespace; i++) {
                    PodDefault pd = podDefault(ns, i, distinct);
                    pending.add(pool.submit(() -> client.resources(PodDefault.class, PodDefaultList.class).resource(pd).create()));
                }
            }
            for (Future<?> f : pending) {
                f.get();
            }
            pool.shutdown();
        }
        System.out.printf("loaded %d PodDefaults (%s) in %d namespaces in %.1f s%n", namespaces * perNamespace,
                distinct ? "distinct" : "the same ones in every namespace", namespaces,
                (System.nanoTime() - start) / 1e9);
        System.out.println("READY");
        System.out.flush();
        Thread.currentThread().join();
    }

    /**
     * The CRUD dispatcher answering a LIST's {@code limit} and {@code continue} as an API server does (the mock alone
     * ignores them and sends every object at once): the informer then never holds more than a page of typed objects,
     * as in a real cluster. The continue token is the offset of the next page.
     */
    static final class PagingCrudDispatcher extends KubernetesCrudDispatcher {

        private static final ObjectMapper JSON = new ObjectMapper();

        PagingCrudDispatcher(List<CustomResourceDefinitionContext> crds) {
            super(crds);
        }

        @Override
        public MockResponse handleGet(String path) {
            MockResponse response = super.handleGet(path);
            Map<String, String> query = query(path);
            if (!query.containsKey("limit") || response.code() != 200 || query.containsKey("watch")) {
                return response;
            }
            try {
                JsonNode list = JSON.readTree(response.getBody().getBytes());
                if (!(list.get("items") instanceof ArrayNode items)) {
                    return response;
                }
                int limit = Integer.parseInt(query.get("limit"));
                int from = query.containsKey("continue") ? Integer.parseInt(query.get("continue")) : 0;
                ArrayNode page = JSON.createArrayNode();
                for (int i = from; i < Math.min(items.size(), from + limit); i++) {
                    page.add(items.get(i));
                }
                ObjectNode out = ((ObjectNode) list).deepCopy();
                out.set("items", page);
                ObjectNode metadata = out.with("metadata");
                if (from + limit < items.size()) {
                    metadata.put("continue", Integer.toString(from + limit));
                    metadata.put("remainingItemCount", items.size() - from - limit);
                } else {
                    metadata.remove("continue");
                }
                return response.setBody(JSON.writeValueAsBytes(out));
            } catch (Exception e) {
                throw new IllegalStateException("cannot page " + path, e);
            }
        }

        private static Map<String, String> query(String path) {
            Map<String, String> out = new HashMap<>();
            int q = path.indexOf('?');
            if (q < 0) {
                return out;
            }
            for (String pair : path.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            return out;
        }
    }

    static PodDefault podDefault(String ns, int i, boolean distinct) {
        String name = "pd-" + i;
        String secret = distinct ? "grant-" + ns + "-" + i : "grant-" + i;
        String env = distinct ? "GRANT_" + ns.replace('-', '_').toUpperCase() + "_" + i + "_TOKEN" : "GRANT_" + i + "_TOKEN";
        PodDefaultSpec spec = new PodDefaultSpec();
        spec.setSelector(new LabelSelectorBuilder().withMatchLabels(Map.of(name, "true")).build());
        spec.setDesc("Credential " + secret + " granted by the platform team");
        spec.setVolumes(List.of(new VolumeBuilder().withName(secret).withNewSecret().withSecretName(secret).endSecret().build()));
        spec.setVolumeMounts(List.of(new VolumeMountBuilder().withName(secret).withMountPath("/secret/" + secret).withReadOnly(true).build()));
        spec.setEnv(List.of(new EnvVarBuilder().withName(env).withNewValueFrom().withNewSecretKeyRef()
                .withName(secret).withKey("token").endSecretKeyRef().endValueFrom().build()));
        return new PodDefault(new ObjectMetaBuilder().withNamespace(ns).withName(name)
                .withLabels(Map.of("app.kubernetes.io/managed-by", "grantflow", "grantflow.dev/grant", secret))
                .withAnnotations(Map.of("grantflow.dev/generation", "1", "grantflow.dev/content-hash", "sha256-" + Integer.toHexString((ns + name).hashCode())))
                .build(), spec);
    }
}
