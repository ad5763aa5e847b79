package dev.grantflow.admission.domain;

import static dev.grantflow.model.fuzz.BadInput.CANARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.model.fuzz.BadInput;
import dev.grantflow.model.fuzz.Bounded;
import dev.grantflow.model.fuzz.ByteDamage;
import dev.grantflow.model.fuzz.GrantDocs;
import io.fabric8.zjsonpatch.JsonPatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Bad AdmissionReviews for the admission core, as {@code AdmissionRoutes} runs it (parse, decide, answer): wrong
 * types and missing fields anywhere, deep nesting, huge arrays, {@code v1beta1}, {@code dryRun}, UPDATE, DELETE and
 * CONNECT, other resources and subresources, non-Pod objects, random JSON and damaged bytes. The answer is always the
 * documented one: a 400 for what is not an AdmissionReview (D9), otherwise the uid and envelope echoed (D6) and allowed,
 * allowed with a JSON Patch that applies cleanly to the pod (D5), or denied with a message; never an exception, a stack
 * trace or a planted env value (D7).
 */
class AdmissionReviewPropertyTest {

    private static final JsonNodeFactory N = JsonNodeFactory.instance;
    static final String NAMESPACE = "team";

    private final AdmissionReviewMapper mapper = new AdmissionReviewMapper(Fixtures.JSON);
    private final PodDefaultPolicy policy = new PodDefaultPolicy(true);
    private final PodDefaultValidationPolicy validation = new PodDefaultValidationPolicy(false);
    private final PodDefaultLookup lookup = lookup();

    /** A generated request body: what was done, and the bytes. */
    record Body(String description, byte[] bytes) {
        @Override
        public String toString() {
            return description + " -> " + BadInput.preview(new String(bytes, StandardCharsets.UTF_8), 400);
        }
    }

    @Property(tries = 1500)
    void theAnswerIsTheDocumentedOneAndNeverAnException(@ForAll("bodies") Body body) throws Exception {
        Object parsed = Bounded.call(() -> {
            try {
                return mapper.parse(body.bytes());
            } catch (MalformedReviewException e) {
                return e;
            }
        });
        if (parsed instanceof MalformedReviewException e) {
            Statistics.label("answer").collect("400 MalformedAdmissionReview");
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\tat ");
            return;
        }
        AdmissionRequest request = (AdmissionRequest) parsed;
        boolean applicable = request.isResource("", "v1", "pods") && "CREATE".equals(request.operation());
        AdmissionDecision decision = Bounded.call(() -> policy.decide(request, lookup).decision());
        Statistics.label("answer").collect(decision.getClass().getSimpleName() + " " + decision.reason().label());
        JsonNode answer = Fixtures.JSON.readTree(mapper.answer(request, decision));
        assertAnswer(request, decision, answer);
        if (!applicable) {
            assertThat(decision).isEqualTo(AdmissionDecision.Allow.because(AdmissionReason.NOT_APPLICABLE));
        }

        AdmissionDecision validated = Bounded.call(() -> validation.decide(request));
        assertAnswer(request, validated, Fixtures.JSON.readTree(mapper.answer(request, validated)));
        if (!request.isResource("kubeflow.org", "v1alpha1", "poddefaults")) {
            assertThat(validated.reason()).isEqualTo(AdmissionReason.NOT_APPLICABLE);
        }
    }

    /** dryRun is not read (ADR 8): a dry run gets exactly the answer of a real one. */
    @Property(tries = 300)
    void aDryRunGetsTheAnswerOfARealRequest(@ForAll("reviews") ObjectNode review, @ForAll boolean dryRun) throws Exception {
        ObjectNode dry = review.deepCopy();
        if (dry.get("request") instanceof ObjectNode r) {
            r.put("dryRun", dryRun);
        }
        ObjectNode real = review.deepCopy();
        if (real.get("request") instanceof ObjectNode r) {
            r.put("dryRun", !dryRun);
        }
        assertThat(answer(dry)).isEqualTo(answer(real));
    }

    private String answer(ObjectNode review) throws Exception {
        try {
            AdmissionRequest request = mapper.parse(Fixtures.JSON.writeValueAsBytes(review));
            return new String(mapper.answer(request, policy.decide(request, lookup).decision()), java.nio.charset.StandardCharsets.UTF_8);
        } catch (MalformedReviewException e) {
            return "400 " + e.getMessage();
        }
    }

    private static void assertAnswer(AdmissionRequest request, AdmissionDecision decision, JsonNode answer) throws Exception {
        assertThat(answer.path("apiVersion").asText()).isEqualTo(request.apiVersion());
        assertThat(answer.path("kind").asText()).isEqualTo("AdmissionReview");
        JsonNode response = answer.get("response");
        assertThat(response.path("uid").asText()).as("the uid is echoed").isEqualTo(request.uid());
        assertThat(response.path("allowed").isBoolean()).isTrue();
        for (JsonNode warning : response.path("warnings")) {
            assertThat(warning.asText()).doesNotContain(CANARY).doesNotContain("\tat ");
        }
        if (decision instanceof AdmissionDecision.Deny deny) {
            assertThat(response.path("allowed").asBoolean()).isFalse();
            assertThat(response.path("status").path("message").asText()).isNotBlank().doesNotContain(CANARY).doesNotContain("\tat ");
            assertThat(response.has("patch")).isFalse();
            return;
        }
        assertThat(response.path("allowed").asBoolean()).isTrue();
        if (!response.has("patch")) {
            assertThat(response.has("patchType")).isFalse();
            return;
        }
        assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
        JsonNode patch = Fixtures.JSON.readTree(Base64.getDecoder().decode(response.get("patch").asText()));
        JsonNode original = request.object().deepCopy();
        assertThatCode(() -> JsonPatch.apply(patch, original)).as("the patch applies to the pod: %s", patch).doesNotThrowAnyException();
        JsonNode patched = JsonPatch.apply(patch, original);
        assertThat(patched.isObject()).isTrue();
        assertThat(patched.path("metadata").path("annotations").fieldNames()).toIterable()
                .anyMatch(a -> a.startsWith(PodMerge.MARKER_PREFIX));
        assertThat(original).as("the request pod is not modified").isEqualTo(request.object());
    }

    @Provide
    Arbitrary<Body> bodies() {
        return Arbitraries.frequencyOf(
                Tuple.of(20, Combinators.combine(reviews(), ByteDamage.any()).as((review, damage) -> {
                    byte[] bytes = damage.apply(write(review));
                    return new Body("review " + damage, bytes);
                })),
                Tuple.of(2, BadInput.json(3).map(j -> new Body("random JSON", write(j)))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(100).map(b -> new Body("random bytes", b))));
    }

    /** A pod CREATE review changed by up to four mutations. */
    @Provide
    Arbitrary<ObjectNode> reviews() {
        return Combinators.combine(pods(), mutations().list().ofMaxSize(3)).as((pod, mutations) -> {
            ObjectNode review = review(pod);
            mutations.forEach(m -> GrantDocs.apply(review, m));
            return review;
        });
    }

    static ObjectNode review(ObjectNode pod) {
        ObjectNode review = N.objectNode().put("apiVersion", AdmissionReviewMapper.V1).put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request").put("uid", "uid-1");
        request.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
        request.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
        request.put("namespace", NAMESPACE).put("operation", "CREATE").put("dryRun", false);
        request.putObject("userInfo").put("username", "system:serviceaccount:kubeflow:notebook-controller");
        request.set("object", pod);
        return review;
    }

    /** Pods that select the namespace's PodDefaults or not, with env values that must never be echoed. */
    static Arbitrary<ObjectNode> pods() {
        return Combinators.combine(Arbitraries.of("true", "false", ""), Arbitraries.integers().between(1, 3), Arbitraries.of(true, false))
                .as((cfg, containers, ownToken) -> {
                    ObjectNode pod = N.objectNode().put("apiVersion", "v1").put("kind", "Pod");
                    ObjectNode metadata = pod.putObject("metadata").put("name", "nb-0").put("namespace", NAMESPACE);
                    if (!cfg.isEmpty()) {
                        metadata.putObject("labels").put("cfg", cfg);
                    }
                    ArrayNode list = pod.putObject("spec").putArray("containers");
                    for (int i = 0; i < containers; i++) {
                        ObjectNode c = list.addObject().put("name", "c" + i).put("image", "jupyter");
                        ArrayNode env = c.putArray("env");
                        env.addObject().put("name", "POD_SECRET").put("value", "pod " + CANARY);
                        if (ownToken) {
                            env.addObject().put("name", "TOKEN").put("value", "own " + CANARY);
                        }
                    }
                    return pod;
                });
    }

    static Arbitrary<GrantDocs.Mutation> mutations() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Combinators.combine(Arbitraries.integers().between(0, 100), BadInput.wrongValues())
                        .as((t, v) -> new GrantDocs.Mutation(GrantDocs.Mutation.Op.SET, null, t, v))),
                Tuple.of(1, Arbitraries.integers().between(0, 100).map(t -> new GrantDocs.Mutation(GrantDocs.Mutation.Op.REMOVE, null, t, null))),
                Tuple.of(1, Arbitraries.integers().between(0, 100).map(t -> new GrantDocs.Mutation(GrantDocs.Mutation.Op.RENAME_TO_LOOKALIKE, null, t, null))),
                Tuple.of(2, Arbitraries.of(AdmissionReviewMapper.V1, AdmissionReviewMapper.V1BETA1, "admission.k8s.io/v2", "v1", "")
                        .map(v -> set("/apiVersion", N.textNode(v)))),
                Tuple.of(3, Arbitraries.of("CREATE", "UPDATE", "DELETE", "CONNECT", "create", "").map(v -> set("/request/operation", N.textNode(v)))),
                Tuple.of(1, Arbitraries.of(true, false).map(v -> set("/request/dryRun", N.booleanNode(v)))),
                Tuple.of(1, Arbitraries.of("", "uid-\u0430", "x".repeat(100_000), "\u0000", "uid\n2").map(v -> set("/request/uid", N.textNode(v)))),
                Tuple.of(2, Arbitraries.of(
                        resource("", "v1", "pods"), resource("apps", "v1", "deployments"), resource("", "v1", "configmaps"),
                        resource("kubeflow.org", "v1alpha1", "poddefaults"), resource("", "v1beta1", "pods"), resource("", "V1", "Pods"))
                        .map(r -> set("/request/resource", r))),
                Tuple.of(1, Arbitraries.of("exec", "attach", "status", "ephemeralcontainers").map(v -> set("/request/subResource", N.textNode(v)))),
                Tuple.of(2, objects().map(o -> set("/request/object", o))),
                Tuple.of(2, huge()),
                Tuple.of(1, BadInput.strings().map(v -> set("/request/object/metadata/labels/cfg", N.textNode(v)))),
                Tuple.of(1, BadInput.strings().flatMap(v -> Arbitraries.of("/request/object/metadata/namespace", "/request/namespace",
                        "/request/object/metadata/name", "/request/object/spec/containers/0/name").map(at -> set(at, N.textNode(v))))));
    }

    /** Objects that are not pods, or barely. */
    private static Arbitrary<JsonNode> objects() {
        return Arbitraries.of(
                N.objectNode().put("apiVersion", "apps/v1").put("kind", "Deployment").set("spec", N.objectNode().put("replicas", 1)),
                N.objectNode().put("apiVersion", "kubeflow.org/v1alpha1").put("kind", "PodDefault")
                        .set("spec", N.objectNode().set("selector", N.objectNode())),
                N.objectNode(), N.arrayNode(), N.textNode("pod"), N.nullNode(),
                N.objectNode().set("metadata", N.objectNode().put("annotations", "x")),
                N.objectNode().set("metadata", N.objectNode().set("annotations",
                        N.objectNode().put(PodDefaultPolicy.EXCLUDE_ANNOTATION, "true"))),
                N.objectNode().set("spec", N.objectNode().set("containers", N.arrayNode().add(1))));
    }

    /** Huge arrays and maps in the pod: many containers, env entries, volumes, tolerations, labels. */
    private static Arbitrary<GrantDocs.Mutation> huge() {
        return Combinators.combine(Arbitraries.of("/request/object/spec/containers", "/request/object/spec/containers/0/env",
                        "/request/object/spec/volumes", "/request/object/spec/tolerations", "/request/object/metadata/labels"),
                Arbitraries.integers().between(1_000, 20_000)).as((at, size) -> {
                    JsonNode value;
                    if (at.endsWith("labels")) {
                        ObjectNode labels = N.objectNode().put("cfg", "true");
                        for (int i = 0; i < size; i++) {
                            labels.put("l" + i, "v");
                        }
                        value = labels;
                    } else {
                        ArrayNode array = N.arrayNode(size);
                        for (int i = 0; i < size; i++) {
                            ObjectNode item = array.addObject().put("name", "n" + i);
                            if (at.endsWith("containers")) {
                                item.put("image", "i");
                            } else if (at.endsWith("env")) {
                                item.put("value", CANARY);
                            } else if (at.endsWith("tolerations")) {
                                item.put("key", "k" + i).put("operator", "Exists");
                            }
                        }
                        value = array;
                    }
                    return set(at, value);
                });
    }

    private static JsonNode resource(String group, String version, String resource) {
        return N.objectNode().put("group", group).put("version", version).put("resource", resource);
    }

    private static GrantDocs.Mutation set(String at, JsonNode value) {
        return new GrantDocs.Mutation(GrantDocs.Mutation.Op.SET, at, 0, value);
    }

    private static byte[] write(JsonNode node) {
        try {
            return Fixtures.JSON.writeValueAsBytes(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The namespace's PodDefaults: one injecting a literal env value that pods may also set (a conflict whose message
     * must not show either value), one adding a volume and mount, and one with an unconvertible selector (skipped, D1).
     */
    static PodDefaultLookup lookup() {
        List<PreparedPodDefault> prepared = new ArrayList<>();
        prepared.add(PodDefaultMapper.prepare(Fixtures.podDefault(json("""
                {"apiVersion":"kubeflow.org/v1alpha1","kind":"PodDefault",
                 "metadata":{"name":"aa-env","namespace":"team","resourceVersion":"1"},
                 "spec":{"selector":{"matchLabels":{"cfg":"true"}},"env":[{"name":"TOKEN","value":"pd %s"}]}}""".formatted(CANARY)))));
        prepared.add(PodDefaultMapper.prepare(Fixtures.podDefault(json("""
                {"apiVersion":"kubeflow.org/v1alpha1","kind":"PodDefault",
                 "metadata":{"name":"bb-vol","namespace":"team","resourceVersion":"2"},
                 "spec":{"selector":{"matchExpressions":[{"key":"cfg","operator":"Exists"}]},
                         "volumes":[{"name":"creds","secret":{"secretName":"creds"}}],
                         "volumeMounts":[{"name":"creds","mountPath":"/secret/creds","readOnly":true}]}}"""))));
        prepared.add(PodDefaultMapper.prepare(Fixtures.podDefault(json("""
                {"apiVersion":"kubeflow.org/v1alpha1","kind":"PodDefault",
                 "metadata":{"name":"cc-bad","namespace":"team","resourceVersion":"3"},
                 "spec":{"selector":{"matchLabels":{"cfg":"no good"}},"env":[{"name":"BAD","value":"x"}]}}"""))));
        PodDefaultSnapshot snapshot = PodDefaultSnapshot.of(prepared);
        return ns -> NAMESPACE.equals(ns) ? snapshot : PodDefaultSnapshot.EMPTY;
    }

    static JsonNode json(String text) {
        try {
            return Fixtures.JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
