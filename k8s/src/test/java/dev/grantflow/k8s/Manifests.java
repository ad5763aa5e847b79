package dev.grantflow.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A kustomization rendered by {@code kubectl kustomize}: the objects, looked up by kind, namespace and name. */
record Manifests(List<ObjectNode> objects) {

    /** The module directory: Surefire runs the tests in k8s/. */
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path BASE = ROOT.resolve("base");
    static final Path STRIMZI = ROOT.resolve("overlays").resolve("strimzi");
    /** The PodDefault CRD on its own (clusters without Kubeflow), never part of a kustomization with the services. */
    static final Path CRD = ROOT.resolve("crd");
    static final Path KUBEFLOW = ROOT.resolve("overlays").resolve("kubeflow");
    static final Path PROMETHEUS = ROOT.resolve("overlays").resolve("prometheus");
    private static final Path FIXTURES = ROOT.resolve("src/test/resources/fixtures/kustomize");
    /** base + components/webhook-port-10250. */
    static final Path WEBHOOK_PORT_10250 = FIXTURES.resolve("webhook-port-10250");
    /** An operator's Kubeflow kustomization (stand-in package) + components/kubeflow-poddefault-webhook-off + ours. */
    static final Path KUBEFLOW_WITH_GRANTFLOW = FIXTURES.resolve("kubeflow-with-grantflow");

    /** Kinds of the rendering that are cluster-scoped (everything else must name a namespace). */
    static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "CustomResourceDefinition", "ClusterRole",
            "ClusterRoleBinding", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "PriorityClass");

    static Manifests render(Path dir) {
        return new Manifests(List.copyOf(Kubectl.kustomize(dir)));
    }

    static Manifests base() {
        return render(BASE);
    }

    static Manifests strimzi() {
        return render(STRIMZI);
    }

    /** A deep, modifiable copy (objects may be edited, added or removed), for tests that break things on purpose. */
    Manifests copy() {
        return new Manifests(objects.stream().map(ObjectNode::deepCopy)
                .collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new)));
    }

    /** Group, kind, namespace and name: what kustomize (and the API server) consider the same object. */
    static String id(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String namespace = object.path("metadata").path("namespace").asText("");
        return group + "/" + object.path("kind").asText() + "|" + namespace + "|"
                + object.path("metadata").path("name").asText();
    }

    List<ObjectNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    Optional<ObjectNode> find(String kind, String namespace, String name) {
        return ofKind(kind).stream()
                .filter(o -> name.equals(name(o)))
                .filter(o -> namespace == null ? namespace(o) == null : namespace.equals(namespace(o)))
                .findFirst();
    }

    /** The object, or an assertion-style failure naming what is missing. */
    ObjectNode get(String kind, String namespace, String name) {
        return find(kind, namespace, name).orElseThrow(() -> new AssertionError(
                "no " + kind + " " + (namespace == null ? "" : namespace + "/") + name + " in the rendering"));
    }

    static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    static String namespace(JsonNode object) {
        JsonNode ns = object.path("metadata").path("namespace");
        return ns.isTextual() ? ns.asText() : null;
    }

    static String describe(JsonNode object) {
        String ns = namespace(object);
        return object.path("kind").asText() + " " + (ns == null ? "" : ns + "/") + name(object);
    }

    /** A YAML/JSON map of strings (labels, annotations, matchLabels) as a Java map; absent = empty. */
    static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> map = new HashMap<>();
        node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    /**
     * Whether a Kubernetes label selector ({@code matchLabels} and {@code matchExpressions} with In, NotIn, Exists,
     * DoesNotExist) selects an object with these labels. An empty selector selects everything, as in Kubernetes.
     */
    static boolean selects(JsonNode selector, Map<String, String> labels) {
        for (Map.Entry<String, String> e : stringMap(selector.path("matchLabels")).entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String key = expression.path("key").asText();
            List<String> values = new java.util.ArrayList<>();
            expression.path("values").forEach(v -> values.add(v.asText()));
            String value = labels.get(key);
            boolean ok = switch (expression.path("operator").asText()) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new IllegalArgumentException("unknown selector operator in " + expression);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
