package dev.grantflow.admission.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.poddefault.PodDefault;
import dev.grantflow.model.poddefault.PodDefaultSpec;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Local Kubernetes API stand-in for the benchmark: the fabric8 mock API server in CRUD mode, run standalone, serving
 * {@code namespaces x perNamespace} PodDefaults shaped like the ones grant-service creates (a Secret
 * volume, its mount, one secretKeyRef env var, managed-by labels). PodDefault {@code pd-<i>} of a namespace selects
 * pods labelled {@code pd-<i>: "true"}. By default PodDefault {@code pd-<i>} injects the same Secret (name
 * {@code grant-<i>}) in every namespace, as a PodDefault rolled out to every profile does; with {@code distinct}, each
 * namespace's PodDefaults name their own Secrets and env vars (nothing injected is equal between two PodDefaults, so
 * the cache can share nothing but the selectors).
 *
 * <p>These PodDefaults are a fixed population that LISTs return (in pages, see {@link PagingCrudDispatcher}) with the
 * mock's own objects; creating 100,000 objects through the mock takes hours (each create scans every stored object).
 * PodDefaults created, changed or deleted through the API (the propagation probe) are the mock's own, with watch
 * events, as before.
 *
 * <p>{@code java ... BenchApiServer <port> <namespaces> <perNamespace> [distinct]}; prints {@code READY} when
 * serving, until killed.
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
        PagingCrudDispatcher dispatcher = new PagingCrudDispatcher(List.of(crd), namespaces, perNamespace, distinct);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                dispatcher, false);
        server.init(InetAddress.getByName("127.0.0.1"), port);
        System.out.printf("serving %d PodDefaults (%s) in %d namespaces%n", namespaces * perNamespace,
                distinct ? "distinct" : "the same ones in every namespace", namespaces);
        System.out.println("READY");
        System.out.flush();
        Thread.currentThread().join();
    }

    /**
     * The CRUD dispatcher answering a LIST's {@code limit} and {@code continue} as an API server does (the mock alone
     * ignores them and sends every object at once): the informer then never holds more than a page of typed objects,
     * as in a real cluster. The first page takes a snapshot of the whole list (one list per paged LIST, as an API
     * server reads at one resourceVersion); the continue token names the snapshot and the offset of the next page.
     */
    static final class PagingCrudDispatcher extends KubernetesCrudDispatcher {

        private static final ObjectMapper JSON = new ObjectMapper();

        private static final String ALL = "/apis/" + PodDefault.GROUP + "/" + PodDefault.VERSION + "/" + PodDefault.PLURAL;
        private static final Pattern IN_NAMESPACE = Pattern.compile(
                "/apis/" + PodDefault.GROUP + "/" + PodDefault.VERSION + "/namespaces/([^/]+)/" + PodDefault.PLURAL);

        private final Map<String, ObjectNode> snapshots = new ConcurrentHashMap<>();
        private final AtomicLong nextSnapshot = new AtomicLong();
        private final int namespaces;
        private final int perNamespace;
        private final boolean distinct;

        PagingCrudDispatcher(List<CustomResourceDefinitionContext> crds, int namespaces, int perNamespace, boolean distinct) {
            super(crds);
            this.namespaces = namespaces;
            this.perNamespace = perNamespace;
            this.distinct = distinct;
        }

        /** The fixed population's PodDefaults in {@code namespace} (all namespaces when {@code null}) added to a LIST. */
        private void addPopulation(ArrayNode items, String namespace) {
            for (int n = 0; n < namespaces; n++) {
                String ns = String.format("user-%04d", n);
                if (namespace != null && !namespace.equals(ns)) {
                    continue;
                }
                for (int i = 0; i < perNamespace; i++) {
                    PodDefault pd = podDefault(ns, i, distinct);
                    pd.getMetadata().setResourceVersion("1");
                    pd.getMetadata().setUid(ns + "-" + i);
                    items.add(Json.mapper().valueToTree(pd));
                }
            }
        }

        /** The mock's answer to a LIST of PodDefaults with the fixed population added; other answers unchanged. */
        private MockResponse list(String path) throws IOException {
            MockResponse response = super.handleGet(path);
            String bare = path.indexOf('?') < 0 ? path : path.substring(0, path.indexOf('?'));
            Matcher inNamespace = IN_NAMESPACE.matcher(bare);
            boolean all = bare.equals(ALL);
            if (response.code() != 200 || (!all && !inNamespace.matches())) {
                return response;
            }
            ObjectNode list = (ObjectNode) JSON.readTree(response.getBody().getBytes());
            ArrayNode items = list.withArray("items");
            ArrayNode merged = JSON.createArrayNode();
            addPopulation(merged, all ? null : inNamespace.group(1));
            merged.addAll(items);
            list.set("items", merged);
            return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                    .setBody(JSON.writeValueAsBytes(list));
        }

        @Override
        public MockResponse handleGet(String path) {
            Map<String, String> query = query(path);
            if (query.containsKey("watch")) {
                return super.handleGet(path);
            }
            if (!query.containsKey("limit")) {
                try {
                    return list(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            try {
                String token = query.get("continue");
                String id;
                int from;
                ObjectNode list;
                if (token == null || token.isEmpty()) {
                    MockResponse response = list(path);
                    if (response.code() != 200) {
                        return response;
                    }
                    JsonNode whole = JSON.readTree(response.getBody().getBytes());
                    if (!(whole instanceof ObjectNode object) || !(object.get("items") instanceof ArrayNode)) {
                        return response;
                    }
                    id = Long.toString(nextSnapshot.incrementAndGet());
                    from = 0;
                    list = object;
                    snapshots.put(id, list);
                } else {
                    int colon = token.indexOf(':');
                    id = token.substring(0, colon);
                    from = Integer.parseInt(token.substring(colon + 1));
                    list = snapshots.get(id);
                    if (list == null) {
                        return new MockResponse().setResponseCode(410).setBody("{\"kind\":\"Status\",\"code\":410,\"reason\":\"Expired\"}");
                    }
                }
                ArrayNode items = (ArrayNode) list.get("items");
                int limit = Integer.parseInt(query.get("limit"));
                ArrayNode page = JSON.createArrayNode();
                for (int i = from; i < Math.min(items.size(), from + limit); i++) {
                    page.add(items.get(i));
                }
                ObjectNode out = JSON.createObjectNode();
                list.fields().forEachRemaining(e -> out.set(e.getKey(), "items".equals(e.getKey()) ? page : e.getValue().deepCopy()));
                ObjectNode metadata = out.with("metadata");
                if (from + limit < items.size()) {
                    metadata.put("continue", id + ":" + (from + limit));
                    metadata.put("remainingItemCount", items.size() - from - limit);
                } else {
                    metadata.remove("continue");
                    snapshots.remove(id);
                }
                return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                        .setBody(JSON.writeValueAsBytes(out));
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
