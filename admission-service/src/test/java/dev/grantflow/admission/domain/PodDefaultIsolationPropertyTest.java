package dev.grantflow.admission.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.admission.kube.PodDefaultCache;
import dev.grantflow.model.fuzz.BadInput;
import dev.grantflow.model.fuzz.Bounded;
import dev.grantflow.model.kubernetes.CompiledLabelSelector;
import dev.grantflow.model.kubernetes.InvalidLabelSelectorException;
import dev.grantflow.model.poddefault.PodDefault;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * One bad PodDefault never blocks the others of its namespace. A good PodDefault ({@code good}: an env var, a volume
 * and its mount, for pods labelled {@code good=true}) shares a namespace, in the real {@link PodDefaultCache}, with bad
 * ones: unconvertible selectors (bad keys and values, unknown operators, {@code In} without values, {@code Exists} with
 * values), duplicate names (a later one replaces the earlier, as in the API), and env, volumes, mounts, labels and
 * annotations that conflict with the good one; some are deleted again.
 *
 * <p>Property: deciding for a pod that selects the good PodDefault never throws; when no bad PodDefault with a valid
 * selector selects the pod, the answer is a patch that applies the good PodDefault; otherwise it is that patch or the
 * documented all-or-nothing conflict denial (docs/poddefault-spec.md section 5), never anything else. Invalid selectors
 * are skipped with a warning (D1).
 */
class PodDefaultIsolationPropertyTest {

    private static final JsonNodeFactory N = JsonNodeFactory.instance;
    private static final String NS = "team";

    record BadPodDefault(String name, JsonNode selector, JsonNode spec, boolean deleted) {
        @Override
        public String toString() {
            return name + (deleted ? " (deleted)" : "") + " selector=" + selector + " spec=" + BadInput.preview(spec.toString(), 200);
        }
    }

    @Property(tries = 1000)
    void aBadPodDefaultNeverBlocksTheGoodOne(@ForAll("badOnes") List<BadPodDefault> bad, @ForAll("podLabels") Map<String, String> labels,
                                             @ForAll boolean goodFirst) throws Exception {
        PodDefaultCache cache = new PodDefaultCache();
        if (goodFirst) {
            cache.put(good());
        }
        Map<String, PodDefault> present = new HashMap<>();
        for (BadPodDefault b : bad) {
            PodDefault pd;
            try {
                pd = Fixtures.podDefault(podDefault(b.name(), b.selector(), b.spec()));
            } catch (RuntimeException e) {
                // Not a PodDefault the API server would store or the informer decode: it never reaches the cache.
                Statistics.label("bad PodDefault").collect("not decodable");
                continue;
            }
            Statistics.label("bad PodDefault").collect("decoded");
            cache.put(pd);
            present.put(b.name(), pd);
            if (b.deleted()) {
                cache.remove(NS, b.name());
                present.remove(b.name());
            }
        }
        if (!goodFirst) {
            cache.put(good());
        }

        ObjectNode pod = pod(labels);
        AdmissionRequest request = new AdmissionReviewMapper(Fixtures.JSON).parse(AdmissionReviewPropertyTest.review(pod));
        PodAdmission admission = Bounded.call(() -> new PodDefaultPolicy(true).decide(request, cache));
        AdmissionDecision decision = admission.decision();

        List<String> selecting = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        present.forEach((name, pd) -> {
            try {
                if (CompiledLabelSelector.compile(pd.getSpec().getSelector()).matches(labels)) {
                    selecting.add(name);
                }
            } catch (InvalidLabelSelectorException e) {
                invalid.add(name);
            }
        });
        Statistics.label("bad ones selecting the pod").collect(selecting.isEmpty() ? "none" : "some");
        Statistics.label("decision").collect(decision.getClass().getSimpleName() + " " + decision.reason().label());

        assertThat(admission.skipped()).as("invalid selectors are skipped").containsExactlyInAnyOrderElementsOf(invalid);
        assertThat(decision.warnings()).hasSize(invalid.size() + 0);
        if (selecting.isEmpty()) {
            assertThat(decision).as("nothing else selects the pod: the good PodDefault applies").isInstanceOf(AdmissionDecision.Patch.class);
        }
        if (decision instanceof AdmissionDecision.Deny deny) {
            assertThat(deny.reason()).isEqualTo(AdmissionReason.CONFLICT);
            assertThat(selecting).as("a conflict needs a bad PodDefault that selects the pod").isNotEmpty();
            return;
        }
        assertThat(decision).isInstanceOf(AdmissionDecision.Patch.class);
        JsonNode patch = JsonPatchMapper.toJson(((AdmissionDecision.Patch) decision).operations());
        JsonNode merged = JsonPatch.apply(patch, pod);
        assertThat(merged.at("/metadata/annotations").has(PodMerge.MARKER_PREFIX + "good")).isTrue();
        assertThat(merged.at("/spec/volumes").findValuesAsText("name")).contains("good-creds");
        // Env and mounts go into the pod's own containers; sidecars are appended without them (fixture
        // sidecar-appended-without-env).
        for (int i = 0; i < pod.at("/spec/containers").size(); i++) {
            JsonNode container = merged.at("/spec/containers/" + i);
            assertThat(container.path("env").findValuesAsText("name")).contains("GOOD_TOKEN");
            assertThat(container.path("volumeMounts").findValuesAsText("mountPath")).contains("/secret/good");
        }
    }

    private static PodDefault good() {
        return Fixtures.podDefault(AdmissionReviewPropertyTest.json("""
                {"apiVersion":"kubeflow.org/v1alpha1","kind":"PodDefault",
                 "metadata":{"name":"good","namespace":"team","resourceVersion":"7"},
                 "spec":{"selector":{"matchLabels":{"good":"true"}},
                         "env":[{"name":"GOOD_TOKEN","valueFrom":{"secretKeyRef":{"name":"good-creds","key":"token"}}}],
                         "volumes":[{"name":"good-creds","secret":{"secretName":"good-creds"}}],
                         "volumeMounts":[{"name":"good-creds","mountPath":"/secret/good","readOnly":true}],
                         "labels":{"good-applied":"yes"},"annotations":{"good/note":"applied"}}}"""));
    }

    private static JsonNode podDefault(String name, JsonNode selector, JsonNode spec) {
        ObjectNode pd = N.objectNode().put("apiVersion", "kubeflow.org/v1alpha1").put("kind", "PodDefault");
        pd.putObject("metadata").put("name", name).put("namespace", NS).put("resourceVersion", "1");
        ObjectNode s = spec.deepCopy();
        if (selector != null) {
            s.set("selector", selector);
        }
        pd.set("spec", s);
        return pd;
    }

    private static ObjectNode pod(Map<String, String> labels) {
        ObjectNode pod = N.objectNode().put("apiVersion", "v1").put("kind", "Pod");
        ObjectNode metadata = pod.putObject("metadata").put("name", "nb-0").put("namespace", NS);
        ObjectNode l = metadata.putObject("labels");
        labels.forEach(l::put);
        ArrayNode containers = pod.putObject("spec").putArray("containers");
        containers.addObject().put("name", "notebook").put("image", "jupyter");
        containers.addObject().put("name", "sidecar").put("image", "proxy");
        return pod;
    }

    @Provide
    Arbitrary<Map<String, String>> podLabels() {
        return Arbitraries.maps(Arbitraries.of("bad", "other", "cfg", "app"), Arbitraries.of("true", "x", ""))
                .ofMaxSize(3).map(m -> {
                    Map<String, String> labels = new HashMap<>(m);
                    labels.put("good", "true");
                    return labels;
                });
    }

    @Provide
    Arbitrary<List<BadPodDefault>> badOnes() {
        return Combinators.combine(Arbitraries.of("bad-a", "bad-b", "bad-c", "a", "zz", "good-2", "x.y"), selectors(), specs(),
                Arbitraries.frequency(Tuple.of(5, false), Tuple.of(1, true))).as(BadPodDefault::new).list().ofMinSize(1).ofMaxSize(6);
    }

    /** Selectors: unconvertible ones, ones that select every pod or the test pod, ones that select nothing. */
    private static Arbitrary<JsonNode> selectors() {
        Arbitrary<JsonNode> invalid = Arbitraries.of(
                "{\"matchLabels\":{\"bad key\":\"true\"}}", "{\"matchLabels\":{\"good\":\"not valid!\"}}",
                "{\"matchLabels\":{\"-x\":\"y\"}}", "{\"matchLabels\":{\"good\":\"" + "v".repeat(64) + "\"}}",
                "{\"matchExpressions\":[{\"key\":\"good\",\"operator\":\"Equals\",\"values\":[\"true\"]}]}",
                "{\"matchExpressions\":[{\"key\":\"good\",\"operator\":\"in\",\"values\":[\"true\"]}]}",
                "{\"matchExpressions\":[{\"key\":\"good\",\"operator\":\"In\",\"values\":[]}]}",
                "{\"matchExpressions\":[{\"key\":\"good\",\"operator\":\"Exists\",\"values\":[\"true\"]}]}",
                "{\"matchExpressions\":[{\"key\":\"\",\"operator\":\"Exists\"}]}",
                "{\"matchExpressions\":[null]}", "{\"matchExpressions\":[{\"key\":\"g\u0430od\",\"operator\":\"Exists\"}]}",
                "{\"matchExpressions\":[{\"key\":\"good\",\"operator\":\"In\",\"values\":[\"a b\"]}]}")
                .map(AdmissionReviewPropertyTest::json);
        Arbitrary<JsonNode> valid = Arbitraries.of(
                "{\"matchLabels\":{\"bad\":\"true\"}}", "{\"matchLabels\":{\"good\":\"true\"}}", "{}",
                "{\"matchExpressions\":[{\"key\":\"good\",\"operator\":\"DoesNotExist\"}]}",
                "{\"matchExpressions\":[{\"key\":\"other\",\"operator\":\"In\",\"values\":[\"x\",\"true\"]}]}",
                "{\"matchLabels\":{\"never\":\"true\"}}").map(AdmissionReviewPropertyTest::json);
        return Arbitraries.frequencyOf(Tuple.of(3, invalid), Tuple.of(3, valid), Tuple.of(1, Arbitraries.just(null)),
                Tuple.of(1, BadInput.json(2)));
    }

    /** Specs that conflict with the good PodDefault, or carry odd values and types. */
    private static Arbitrary<JsonNode> specs() {
        Arbitrary<JsonNode> parts = Arbitraries.of(
                "{\"env\":[{\"name\":\"GOOD_TOKEN\",\"value\":\"other " + dev.grantflow.model.fuzz.BadInput.CANARY + "\"}]}",
                "{\"env\":[{\"name\":\"GOOD_TOKEN\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"good-creds\",\"key\":\"token\"}}}]}",
                "{\"env\":[{\"value\":\"no name\"},null]}",
                "{\"volumes\":[{\"name\":\"good-creds\",\"secret\":{\"secretName\":\"other\"}}]}",
                "{\"volumes\":[{\"name\":\"good-creds\",\"secret\":{\"secretName\":\"good-creds\"}}]}",
                "{\"volumes\":[{\"secret\":{\"secretName\":\"x\"}},{\"name\":\"v\",\"emptyDir\":{},\"hostPath\":{\"path\":\"/\"}}]}",
                "{\"volumeMounts\":[{\"name\":\"other\",\"mountPath\":\"/secret/good\"}]}",
                "{\"volumeMounts\":[{\"name\":\"good-creds\",\"mountPath\":\"/elsewhere\"}]}",
                "{\"volumeMounts\":[{\"mountPath\":\"/var/run/secrets/kubernetes.io/serviceaccount\"}]}",
                "{\"labels\":{\"good-applied\":\"no\"}}", "{\"annotations\":{\"good/note\":\"other\"}}",
                "{\"labels\":{\"bad key\":\"x\"}}", "{\"tolerations\":[{\"operator\":\"Sometimes\"},null]}",
                "{\"sidecars\":[{\"name\":\"sidecar\",\"image\":\"other\"}]}", "{\"initContainers\":[{}]}",
                "{\"serviceAccountName\":\"Not Valid\",\"automountServiceAccountToken\":true}",
                "{\"command\":[\"sh\"],\"args\":[\"-c\",\"x\"]}", "{\"envFrom\":[{}]}", "{}")
                .map(AdmissionReviewPropertyTest::json);
        Arbitrary<JsonNode> odd = BadInput.json(2).flatMap(v -> Arbitraries.of("env", "volumes", "volumeMounts", "labels",
                "annotations", "tolerations", "sidecars", "command").map(field -> (JsonNode) N.objectNode().set(field, v)));
        return Arbitraries.frequencyOf(Tuple.of(4, parts.list().ofMaxSize(3).map(PodDefaultIsolationPropertyTest::mergeObjects)),
                Tuple.of(1, odd));
    }

    private static JsonNode mergeObjects(List<JsonNode> parts) {
        ObjectNode out = N.objectNode();
        parts.forEach(p -> p.properties().forEach(e -> out.set(e.getKey(), e.getValue())));
        return out;
    }
}
