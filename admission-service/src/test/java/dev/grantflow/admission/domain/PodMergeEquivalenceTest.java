package dev.grantflow.admission.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The proof that the merge's own patch operations are the former merge: for the fixtures' pods and PodDefaults (and
 * for generated ones, {@link PodMergeEquivalencePropertyTest}), {@link PodMerge}'s patch applied to the pod (with zjsonpatch, an independent RFC 6902 applier) gives
 * exactly the pod that {@link TreeMergeOracle} (the former copy-on-write merge) builds, the conflicts are the same
 * messages in the same order, and the patch is empty exactly when the former diff was. Neither merge may change the
 * pod or the shared PodDefault trees.
 */
class PodMergeEquivalenceTest {

    static Stream<Fixtures.Fixture> mutatingFixtures() {
        // Pods the merge gets: a pod that fails the shape check is denied before any merge (fixture invalid-pod-object).
        return Fixtures.all().filter(f -> !f.isValidation() && !f.hasRawBody() && f.json().get("pod") instanceof ObjectNode pod
                && PodShape.problem(pod).isEmpty());
    }

    /** Each fixture's pod with its matching PodDefaults, and with every PodDefault of its namespace whatever the labels. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("mutatingFixtures")
    void fixturePatchGivesTheFormerMergedPod(Fixtures.Fixture fixture) {
        ObjectNode pod = (ObjectNode) fixture.json().get("pod");
        String namespace = pod.path("metadata").path("namespace").asText("");
        if (namespace.isEmpty()) {
            namespace = fixture.json().path("namespace").asText(Fixtures.DEFAULT_NAMESPACE);
        }
        List<PreparedPodDefault> valid = new ArrayList<>();
        List<PreparedPodDefault> matching = new ArrayList<>();
        Map<String, String> labels = new HashMap<>();
        pod.path("metadata").path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        for (PreparedPodDefault pd : fixture.lookup().inNamespace(namespace).items()) {
            if (pd.hasValidSelector()) {
                valid.add(pd);
                if (pd.matches(labels)) {
                    matching.add(pd);
                }
            }
        }
        assertSameMerge(pod, matching);
        assertSameMerge(pod, valid);
    }

    /**
     * Lists longer than the merge scans before it hashes (16 items), with keys repeated in the pod: as a map from key
     * to item, the later of two items with one key is the one a PodDefault's item is compared with, short or long.
     */
    @ParameterizedTest(name = "{0} items in the pod")
    @org.junit.jupiter.params.provider.ValueSource(ints = {3, 15, 16, 17, 40})
    void longListsWithRepeatedKeysMergeAsTheFormerMerge(int size) throws Exception {
        ObjectNode pod = Fixtures.JSON.createObjectNode();
        pod.putObject("metadata").put("name", "p").put("namespace", "team");
        ObjectNode container = pod.putObject("spec").putArray("containers").addObject().put("name", "main");
        var env = container.putArray("env");
        var mounts = container.putArray("volumeMounts");
        var volumes = ((ObjectNode) pod.get("spec")).putArray("volumes");
        for (int i = 0; i < size; i++) {
            // Every key twice; the second item of a key is the one that counts.
            env.addObject().put("name", "E" + (i % (size / 2 + 1))).put("value", "v" + i);
            mounts.addObject().put("name", "vol" + (i % (size / 2 + 1))).put("mountPath", "/m" + (i % (size / 2 + 1)))
                    .put("readOnly", i % 2 == 0);
            volumes.addObject().put("name", "vol" + (i % (size / 2 + 1))).putObject("emptyDir");
        }
        ObjectNode last = (ObjectNode) env.get(size - 1);
        ObjectNode lastMount = (ObjectNode) mounts.get(size - 1);
        // One PodDefault repeats the last item of a key (no conflict), one an earlier item of it (a conflict when the
        // key's later item differs), one adds new keys only.
        String same = "{\"selector\": {}, \"env\": [" + last + "], \"volumeMounts\": [" + lastMount + "]}";
        String earlier = "{\"selector\": {}, \"env\": [" + env.get(0) + "], \"volumeMounts\": [" + mounts.get(0) + "]}";
        String fresh = "{\"selector\": {}, \"env\": [{\"name\": \"NEW\", \"value\": \"x\"}],"
                + " \"volumeMounts\": [{\"name\": \"new\", \"mountPath\": \"/new\"}],"
                + " \"volumes\": [{\"name\": \"new\", \"emptyDir\": {}}, {\"name\": \"vol0\", \"emptyDir\": {}}]}";
        PreparedPodDefault a = prepared("a-same", same);
        PreparedPodDefault b = prepared("b-earlier", earlier);
        PreparedPodDefault c = prepared("c-fresh", fresh);
        assertThat(assertSameMerge(pod, List.of(a, c)).conflicts()).as("repeating the key's last item").isEmpty();
        assertSameMerge(pod, List.of(a, b, c));
        assertSameMerge(pod, List.of(b));
    }

    /**
     * Section 7: a pod that already carries a PodDefault's marker with its resourceVersion gets no operation for it;
     * markers it lacks, or holds with another value, are written.
     */
    @org.junit.jupiter.api.Test
    void markersThePodHasAreNotWrittenAgain() throws Exception {
        ObjectNode pod = Fixtures.JSON.createObjectNode();
        ObjectNode annotations = pod.putObject("metadata").put("name", "p").putObject("annotations");
        annotations.put(PodMerge.MARKER_PREFIX + "a", "1").put(PodMerge.MARKER_PREFIX + "b", "0").put("other", "x");
        pod.putObject("spec").putArray("containers").addObject().put("name", "main");
        PreparedPodDefault a = prepared("a", "{\"selector\": {}, \"env\": [{\"name\": \"A\", \"value\": \"1\"}]}");
        PreparedPodDefault b = prepared("b", "{\"selector\": {}}");
        PreparedPodDefault c = prepared("c", "{\"selector\": {}}");

        assertThat(assertSameMerge(pod, List.of(a)).patch()).extracting(PatchOperation::path)
                .containsExactly("/spec/containers/0/env");
        assertThat(assertSameMerge(pod, List.of(a, b, c)).patch()).extracting(PatchOperation::path)
                .containsExactly("/spec/containers/0/env", "/metadata/annotations/poddefault.admission.kubeflow.org~1poddefault-b",
                        "/metadata/annotations/poddefault.admission.kubeflow.org~1poddefault-c");
        assertThat(assertSameMerge(pod, List.of(c)).patch()).extracting(PatchOperation::path)
                .containsExactly("/metadata/annotations/poddefault.admission.kubeflow.org~1poddefault-c");
    }

    private static PreparedPodDefault prepared(String name, String spec) throws Exception {
        var json = Fixtures.JSON.createObjectNode().put("apiVersion", "kubeflow.org/v1alpha1").put("kind", "PodDefault");
        json.putObject("metadata").put("namespace", "team").put("name", name).put("resourceVersion", "1");
        json.set("spec", Fixtures.JSON.readTree(spec));
        return PodDefaultMapper.prepare(Fixtures.podDefault(json));
    }

    static PodMerge.Result assertSameMerge(ObjectNode pod, List<PreparedPodDefault> podDefaults) {
        String podBefore = pod.toString();
        List<String> partsBefore = podDefaults.stream().map(pd -> trees(pd.parts())).toList();

        TreeMergeOracle.Result former = TreeMergeOracle.merge(pod, podDefaults);
        PodMerge.Result merge = PodMerge.merge(pod, podDefaults);

        assertThat(merge.conflicts()).as("conflicts").isEqualTo(former.conflicts());
        if (former.conflicts().isEmpty()) {
            var patch = JsonPatchMapper.toJson(merge.patch());
            JsonNode patched = JsonPatch.apply(patch, pod);
            assertThat(patched).as("patch %s", patch).isEqualTo(former.merged());
            assertThat(merge.patch().isEmpty()).as("empty patch exactly when the former diff was empty: %s", patch)
                    .isEqualTo(JsonPatchMapper.diff(pod, former.merged()).isEmpty());
            // The answer writes the values' JSON text where known instead of the trees: the same patch.
            AdmissionRequest request = new AdmissionRequest(AdmissionReviewMapper.V1, AdmissionReviewMapper.KIND, "uid-1", "", "v1",
                    "pods", "", "CREATE", "team", "", pod);
            if (!merge.patch().isEmpty()) {
                try {
                    JsonNode answer = Fixtures.JSON.readTree(new AdmissionReviewMapper(Fixtures.JSON).answer(request,
                            new AdmissionDecision.Patch(merge.patch(), List.of())));
                    assertThat(Fixtures.JSON.readTree(answer.at("/response/patch").binaryValue())).isEqualTo(patch);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        assertThat(pod.toString()).as("the pod is not modified").isEqualTo(podBefore);
        assertThat(podDefaults.stream().map(pd -> trees(pd.parts())).toList()).as("the shared parts").isEqualTo(partsBefore);
        return merge;
    }

    /**
     * The parts' trees as text (not the record's {@code toString}: a re-decode after a cache collision gives equal
     * trees but another identity map of their texts, printed in another order).
     */
    private static String trees(PodDefaultParts p) {
        return java.util.Arrays.asList(p.name(), p.resourceVersion(), p.serviceAccountName(), p.automountServiceAccountToken(), p.env(),
                p.envFrom(), p.volumes(), p.volumeMounts(), p.annotations(), p.labels(), p.tolerations(), p.imagePullSecrets(),
                p.initContainers(), p.sidecars(), p.command(), p.args()).toString();
    }
}
