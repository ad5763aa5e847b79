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
