package dev.grantflow.admission.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link PodMergeEquivalenceTest} over generated pods and PodDefaults: items drawn from small pools so that names,
 * mount paths, keys and values collide often (conflicts, duplicates, marker keys already present, escaped keys), lists
 * absent, {@code null}, empty or filled, spec and metadata absent or {@code null}.
 */
class PodMergeEquivalencePropertyTest {

    private static final JsonNodeFactory N = JsonNodeFactory.instance;

    @Property(tries = 2000)
    void generatedPatchGivesTheFormerMergedPod(@ForAll("pods") ObjectNode pod, @ForAll("podDefaults") List<PreparedPodDefault> podDefaults) {
        Assume.that(PodShape.problem(pod).isEmpty());
        PodMerge.Result merge = PodMergeEquivalenceTest.assertSameMerge(pod, podDefaults);
        Statistics.label("outcome").collect(merge.conflicts().isEmpty() ? "merged" : "conflict");
        Statistics.label("operations").collect(merge.conflicts().isEmpty() ? Math.min(merge.patch().size(), 10) : -1);
    }

    /**
     * The pod as the mutating webhook reads it ({@link PodReviewReader}: list items skimmed to their keys,
     * {@link SkimmedItem}) gets the shape check's verdict and the merge of the whole pod: the same conflicts, in the
     * same words, and the same patch.
     */
    @Property(tries = 2000)
    void theSkimmedPodMergesAsTheWholePod(@ForAll("pods") ObjectNode pod, @ForAll("podDefaults") List<PreparedPodDefault> podDefaults)
            throws Exception {
        byte[] body = Fixtures.JSON.writeValueAsBytes(AdmissionReviewPropertyTest.review(pod));
        ObjectNode read = (ObjectNode) new AdmissionReviewMapper(Fixtures.JSON).parsePodReview(body).object();
        assertThat(PodShape.problem(read)).isEqualTo(PodShape.problem(pod));
        Assume.that(PodShape.problem(pod).isEmpty());
        PodMerge.Result whole = PodMerge.merge(pod, podDefaults);
        PodMerge.Result skimmed = PodMerge.merge(read, podDefaults);
        assertThat(skimmed.conflicts()).isEqualTo(whole.conflicts());
        assertThat(JsonPatchMapper.toJson(skimmed.patch())).isEqualTo(JsonPatchMapper.toJson(whole.patch()));
        Statistics.label("outcome").collect(whole.conflicts().isEmpty() ? "merged" : "conflict");
    }

    // ---- generators: small pools of items, so that names, paths and values collide often -----------------------

    private static final String MARKER_A = PodMerge.MARKER_PREFIX + "pd-a";

    private static final List<String> ENV = List.of("{\"name\":\"A\",\"value\":\"1\"}", "{\"name\":\"A\",\"value\":\"2\"}",
            "{\"name\":\"B\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"s\",\"key\":\"k\"}}}", "{\"name\":\"C\",\"value\":\"\"}",
            "{\"name\":\"C\"}");
    private static final List<String> MOUNTS = List.of("{\"name\":\"v1\",\"mountPath\":\"/a\"}",
            "{\"name\":\"v1\",\"mountPath\":\"/b\",\"readOnly\":true}", "{\"name\":\"v2\",\"mountPath\":\"/a\"}",
            "{\"name\":\"v2\",\"mountPath\":\"/c\",\"readOnly\":false}");
    private static final List<String> ENV_FROM = List.of("{\"secretRef\":{\"name\":\"s\"}}", "{\"configMapRef\":{\"name\":\"c\"}}",
            "{\"configMapRef\":{\"name\":\"c\",\"optional\":false}}");
    private static final List<String> VOLUMES = List.of("{\"name\":\"v1\",\"secret\":{\"secretName\":\"s\"}}",
            "{\"name\":\"v1\",\"secret\":{\"secretName\":\"s\",\"defaultMode\":420}}", "{\"name\":\"v1\",\"emptyDir\":{}}",
            "{\"name\":\"v2\"}", "{\"name\":\"v2\",\"emptyDir\":{}}", "{\"name\":\"v3\",\"configMap\":{\"name\":\"c\"}}");
    private static final List<String> TOLERATIONS = List.of("{\"key\":\"gpu\",\"operator\":\"Exists\"}",
            "{\"key\":\"gpu\",\"operator\":\"Equal\",\"value\":\"a\",\"effect\":\"NoSchedule\"}",
            "{\"key\":\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\",\"tolerationSeconds\":300}");
    private static final List<String> PULL_SECRETS = List.of("{\"name\":\"r1\"}", "{\"name\":\"r2\"}");
    private static final List<String> CONTAINERS = List.of("{\"name\":\"main\",\"image\":\"busybox\"}",
            "{\"name\":\"proxy\",\"image\":\"oauth2-proxy\"}", "{\"name\":\"proxy\",\"image\":\"other\"}",
            "{\"name\":\"istio-proxy\",\"image\":\"istio\"}", "{\"name\":\"init\",\"image\":\"busybox\",\"resources\":{}}",
            "{\"name\":\"init\",\"image\":\"busybox\"}");
    /** A command or args: absent, null, empty or a list of strings. */
    private static Arbitrary<JsonNode> strings() {
        return Arbitraries.of(Arrays.asList(null, N.nullNode(), N.arrayNode(), N.arrayNode().add("sh"), N.arrayNode().add("-c").add("run")));
    }
    private static final List<String> KEYS = List.of("app", "a/b", "x~y", "note", MARKER_A, PodMerge.MARKER_PREFIX + "pd-b");
    private static final List<String> VALUES = List.of("true", "1", "", "other");

    /** A list field: absent, null, empty or some items of the pool. */
    private static Arbitrary<JsonNode> list(List<String> pool) {
        Arbitrary<JsonNode> items = Arbitraries.of(pool).list().ofMinSize(1).ofMaxSize(3).map(texts -> {
            ArrayNode a = N.arrayNode();
            texts.forEach(t -> a.add(AdmissionReviewPropertyTest.json(t)));
            return a;
        });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(null)), net.jqwik.api.Tuple.of(1, Arbitraries.just(N.nullNode())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(N.arrayNode())), net.jqwik.api.Tuple.of(4, items));
    }

    private static Arbitrary<JsonNode> stringMap() {
        Arbitrary<JsonNode> entries = Combinators.combine(Arbitraries.of(KEYS), Arbitraries.of(VALUES)).as(Map::entry)
                .list().ofMinSize(1).ofMaxSize(3).map(es -> {
                    ObjectNode o = N.objectNode();
                    es.forEach(e -> o.put(e.getKey(), e.getValue()));
                    return o;
                });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(2, Arbitraries.just(null)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(N.nullNode())), net.jqwik.api.Tuple.of(1, Arbitraries.just(N.objectNode())),
                net.jqwik.api.Tuple.of(4, entries));
    }

    private static Arbitrary<JsonNode> scalar(JsonNode... values) {
        List<JsonNode> options = new ArrayList<>(List.of(values));
        options.add(N.nullNode());
        options.add(null);
        options.add(null);
        return Arbitraries.of(options);
    }

    private static void setIfPresent(ObjectNode o, String field, JsonNode value) {
        if (value != null) {
            o.set(field, value);
        }
    }

    private static Arbitrary<JsonNode> container() {
        return Combinators.combine(Arbitraries.of("main", "proxy", "istio-proxy", "other"), list(ENV), list(MOUNTS), list(ENV_FROM),
                        strings(), strings())
                .as((name, env, mounts, envFrom, command, args) -> {
                    ObjectNode c = N.objectNode().put("name", name).put("image", "busybox");
                    setIfPresent(c, "env", env);
                    setIfPresent(c, "volumeMounts", mounts);
                    setIfPresent(c, "envFrom", envFrom);
                    setIfPresent(c, "command", command);
                    setIfPresent(c, "args", args);
                    return c;
                });
    }

    @Provide
    Arbitrary<ObjectNode> pods() {
        Arbitrary<JsonNode> metadata = Combinators.combine(stringMap(), stringMap(), Arbitraries.integers().between(0, 3))
                .as((labels, annotations, shape) -> switch (shape) {
                    case 0 -> null;
                    case 1 -> N.nullNode();
                    default -> {
                        ObjectNode m = N.objectNode().put("name", "nb-0");
                        setIfPresent(m, "labels", labels);
                        setIfPresent(m, "annotations", annotations);
                        yield m;
                    }
                });
        Arbitrary<JsonNode> containers = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, Arbitraries.just(null)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(N.arrayNode())),
                net.jqwik.api.Tuple.of(6, container().list().ofMinSize(1).ofMaxSize(3).map(cs -> {
                    ArrayNode a = N.arrayNode();
                    cs.forEach(a::add);
                    return a;
                })));
        Arbitrary<JsonNode> spec = Combinators.combine(containers, list(VOLUMES), list(TOLERATIONS), list(PULL_SECRETS),
                        list(CONTAINERS), scalar(N.textNode("default"), N.textNode("runner")),
                        scalar(N.booleanNode(true), N.booleanNode(false)), Arbitraries.integers().between(0, 5))
                .as((cs, volumes, tolerations, pullSecrets, inits, account, automount, shape) -> {
                    if (shape == 0) {
                        return null;
                    }
                    if (shape == 1) {
                        return N.nullNode();
                    }
                    ObjectNode s = N.objectNode().put("restartPolicy", "Always");
                    setIfPresent(s, "containers", cs);
                    setIfPresent(s, "volumes", volumes);
                    setIfPresent(s, "tolerations", tolerations);
                    setIfPresent(s, "imagePullSecrets", pullSecrets);
                    setIfPresent(s, "initContainers", inits);
                    setIfPresent(s, "serviceAccountName", account);
                    setIfPresent(s, "automountServiceAccountToken", automount);
                    return s;
                });
        return Combinators.combine(metadata, spec).as((m, s) -> {
            ObjectNode pod = N.objectNode().put("apiVersion", "v1").put("kind", "Pod");
            setIfPresent(pod, "metadata", m);
            setIfPresent(pod, "spec", s);
            return pod;
        });
    }

    private static Arbitrary<JsonNode> podDefaultSpec() {
        Arbitrary<ObjectNode> lists = Combinators.combine(list(ENV), list(MOUNTS), list(ENV_FROM), list(VOLUMES), list(TOLERATIONS),
                        list(PULL_SECRETS), list(CONTAINERS), list(CONTAINERS))
                .as((env, mounts, envFrom, volumes, tolerations, pullSecrets, inits, sidecars) -> {
                    ObjectNode s = N.objectNode();
                    s.putObject("selector");
                    setIfPresent(s, "env", env);
                    setIfPresent(s, "volumeMounts", mounts);
                    setIfPresent(s, "envFrom", envFrom);
                    setIfPresent(s, "volumes", volumes);
                    setIfPresent(s, "tolerations", tolerations);
                    setIfPresent(s, "imagePullSecrets", pullSecrets);
                    setIfPresent(s, "initContainers", inits);
                    setIfPresent(s, "sidecars", sidecars);
                    return s;
                });
        return Combinators.combine(lists, stringMap(), stringMap(), strings(), strings(),
                        scalar(N.textNode("default"), N.textNode("runner"), N.textNode("")),
                        scalar(N.booleanNode(true), N.booleanNode(false)))
                .as((s, labels, annotations, command, args, account, automount) -> {
                    setIfPresent(s, "labels", labels == null || labels.isNull() ? null : labels);
                    setIfPresent(s, "annotations", annotations == null || annotations.isNull() ? null : annotations);
                    setIfPresent(s, "command", command);
                    setIfPresent(s, "args", args);
                    setIfPresent(s, "serviceAccountName", account);
                    setIfPresent(s, "automountServiceAccountToken", automount);
                    return s;
                });
    }

    /** One to three PodDefaults in name order, each with or without a resourceVersion. */
    @Provide
    Arbitrary<List<PreparedPodDefault>> podDefaults() {
        return Combinators.combine(podDefaultSpec().list().ofMinSize(1).ofMaxSize(3), Arbitraries.of("1", "7", "").list().ofSize(3))
                .as((specs, versions) -> {
                    List<PreparedPodDefault> out = new ArrayList<>();
                    for (int i = 0; i < specs.size(); i++) {
                        ObjectNode pd = N.objectNode().put("apiVersion", "kubeflow.org/v1alpha1").put("kind", "PodDefault");
                        ObjectNode metadata = pd.putObject("metadata").put("name", "pd-" + (char) ('a' + i)).put("namespace", "team");
                        if (!versions.get(i).isEmpty()) {
                            metadata.put("resourceVersion", versions.get(i));
                        }
                        pd.set("spec", specs.get(i));
                        out.add(PodDefaultMapper.prepare(Fixtures.podDefault(pd)));
                    }
                    return out;
                });
    }
}
