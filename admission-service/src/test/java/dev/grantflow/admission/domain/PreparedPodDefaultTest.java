package dev.grantflow.admission.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grantflow.model.poddefault.PodDefault;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cache's compact form: what it keeps decodes back to exactly what the PodDefault injects; equal parts are shared. */
class PreparedPodDefaultTest {

    private static final String SPEC = """
            {"selector": {"matchLabels": {"app": "notebook"}},
             "desc": "not kept",
             "serviceAccountName": "runner",
             "automountServiceAccountToken": false,
             "env": [{"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "grant-1", "key": "token"}}}],
             "envFrom": [{"configMapRef": {"name": "settings"}}],
             "volumes": [{"name": "grant-1", "secret": {"secretName": "grant-1", "defaultMode": 420}},
                         {"name": "tokens", "projected": {"sources": [{"serviceAccountToken": {"path": "t", "expirationSeconds": 3600}}]}}],
             "volumeMounts": [{"name": "grant-1", "mountPath": "/secret/grant-1", "readOnly": true}],
             "annotations": {"a": "1", "b": ""},
             "labels": {"team": "ml"},
             "tolerations": [{"key": "gpu", "operator": "Exists", "effect": "NoSchedule"}],
             "imagePullSecrets": [{"name": "registry"}],
             "initContainers": [{"name": "init", "image": "busybox", "command": ["true"]}],
             "sidecars": [{"name": "proxy", "image": "envoy", "ports": [{"containerPort": 15001}]}],
             "command": ["/bin/sh", "-c"],
             "args": ["run"]}
            """;

    @Test
    void decodesToWhatThePodDefaultInjects() throws Exception {
        JsonNode spec = Fixtures.JSON.readTree(SPEC);
        PreparedPodDefault prepared = PodDefaultMapper.prepare(podDefault("alice", "pd", "42", SPEC));

        assertThat(prepared.namespace()).isEqualTo("alice");
        assertThat(prepared.name()).isEqualTo("pd");
        assertThat(prepared.resourceVersion()).isEqualTo("42");
        assertThat(prepared.hasValidSelector()).isTrue();
        assertThat(prepared.matches(Map.of("app", "notebook"))).isTrue();
        assertThat(prepared.matches(Map.of("app", "other"))).isFalse();
        assertThat(Fixtures.JSON.readTree(prepared.selectorText())).isEqualTo(spec.get("selector"));

        PodDefaultParts parts = prepared.parts();
        assertThat(parts.name()).isEqualTo("pd");
        assertThat(parts.resourceVersion()).isEqualTo("42");
        assertThat(parts.serviceAccountName()).isEqualTo("runner");
        assertThat(parts.automountServiceAccountToken()).isFalse();
        for (String list : new String[] {"env", "envFrom", "volumes", "volumeMounts", "tolerations", "imagePullSecrets",
                "initContainers", "sidecars", "command", "args"}) {
            assertThat(field(parts, list)).as(list).isEqualTo(spec.get(list));
        }
        assertThat(parts.annotations()).containsExactly(Map.entry("a", "1"), Map.entry("b", ""));
        assertThat(parts.labels()).containsExactly(Map.entry("team", "ml"));
    }

    @Test
    void listsAndValuesNotSetStayAbsent() throws Exception {
        PodDefaultParts parts = PodDefaultMapper.prepare(podDefault("alice", "pd", "1",
                "{\"selector\": {}, \"env\": []}")).parts();
        assertThat(parts.env()).isEmpty();
        assertThat(parts.serviceAccountName()).isNull();
        assertThat(parts.automountServiceAccountToken()).isNull();
        assertThat(parts.envFrom()).isNull();
        assertThat(parts.volumes()).isNull();
        assertThat(parts.annotations()).isNull();
        assertThat(parts.labels()).isNull();
        assertThat(parts.command()).isNull();
    }

    @Test
    void annotationWithNullValueDecodesToNull() throws Exception {
        Map<String, String> annotations = new HashMap<>();
        annotations.put("k", null);
        PodDefault pd = podDefault("alice", "pd", "1", "{\"selector\": {}}");
        pd.getSpec().setAnnotations(annotations);
        assertThat(PodDefaultMapper.prepare(pd).parts().annotations()).containsEntry("k", null);
    }

    /** Found by PodDefaultIsolationPropertyTest: UTF-8 bytes could not carry a lone surrogate back. */
    @Test
    void anyJavaStringSurvivesTheCompactForm() throws Exception {
        String odd = "k\uD800x\uDFFF\u00e9\u4e2d\uD83D\uDE00";
        Map<String, String> annotations = new HashMap<>();
        annotations.put(odd, odd);
        PodDefault pd = podDefault("alice", "pd", "1", "{\"selector\": {}}");
        pd.getSpec().setAnnotations(annotations);
        pd.getSpec().setServiceAccountName(odd);
        PodDefaultParts parts = PodDefaultMapper.prepare(pd).parts();
        assertThat(parts.annotations()).containsExactly(Map.entry(odd, odd));
        assertThat(parts.serviceAccountName()).isEqualTo(odd);
    }

    @Test
    void recentlyDecodedPartsAreSharedAndMergingNeverChangesThem() throws Exception {
        PreparedPodDefault prepared = PodDefaultMapper.prepare(podDefault("alice", "pd", "1", SPEC));
        PodDefaultParts first = prepared.parts();
        assertThat(prepared.parts().env()).as("decoded once while recent").isSameAs(first.env());
        String before = first.toString();
        com.fasterxml.jackson.databind.node.ObjectNode pod = (com.fasterxml.jackson.databind.node.ObjectNode)
                new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
                        {"metadata": {"name": "nb-0", "labels": {"app": "notebook"}},
                         "spec": {"containers": [{"name": "nb", "env": [{"name": "A", "value": "1"}]},
                                                 {"name": "other"}]}}""");
        String podBefore = pod.toString();
        for (int i = 0; i < 2; i++) {
            PodMerge.Result merge = PodMerge.merge(pod, java.util.List.of(prepared));
            assertThat(merge.conflicts()).isEmpty();
            JsonNode merged = io.fabric8.zjsonpatch.JsonPatch.apply(JsonPatchMapper.toJson(merge.patch()), pod);
            assertThat(merged.at("/spec/containers/0/env")).hasSize(2);
            assertThat(merged.at("/spec/containers/1/env")).hasSize(1);
        }
        assertThat(prepared.parts().toString()).as("the shared parts").isEqualTo(before);
        assertThat(pod.toString()).as("the pod").isEqualTo(podBefore);
    }

    @Test
    void invalidSelectorKeepsItsTextAndError() throws Exception {
        PreparedPodDefault prepared = PodDefaultMapper.prepare(podDefault("alice", "pd", "1",
                "{\"selector\": {\"matchExpressions\": [{\"key\": \"k\", \"operator\": \"Bad\", \"values\": [\"v\"]}]}}"));
        assertThat(prepared.hasValidSelector()).isFalse();
        assertThat(prepared.selector()).isNull();
        assertThat(prepared.selectorError()).contains("Bad");
        assertThat(prepared.selectorText()).contains("\"operator\":\"Bad\"");
        assertThat(prepared.matches(Map.of("k", "v"))).isFalse();
    }

    @Test
    void equalPartsOfDifferentPodDefaultsAreHeldOnce() throws Exception {
        PodDefaultMapper.Sharing sharing = new PodDefaultMapper.Sharing();
        PreparedPodDefault a = PodDefaultMapper.prepare(podDefault("alice", "pd", "1", SPEC), sharing);
        PreparedPodDefault b = PodDefaultMapper.prepare(podDefault(new String("bob"), new String("pd"), "2", SPEC), sharing);
        String otherSpec = SPEC.replace("\"notebook\"", "\"other\"").replace("\"runner\"", "\"other\"");
        PreparedPodDefault c = PodDefaultMapper.prepare(podDefault("carol", "pd", "3", otherSpec), sharing);

        assertThat(b.sharedSelector()).isSameAs(a.sharedSelector());
        assertThat(b.injectedJson()).isSameAs(a.injectedJson());
        assertThat(b.name()).isSameAs(a.name());
        assertThat(c.sharedSelector()).isNotSameAs(a.sharedSelector());
        assertThat(c.injectedJson()).isNotSameAs(a.injectedJson());
        assertThat(sharing.selectors()).isEqualTo(2);
        assertThat(sharing.injectedParts()).isEqualTo(2);
        // shared, yet each keeps its own identity and decodes to its own values
        assertThat(b.namespace()).isEqualTo("bob");
        assertThat(b.parts().resourceVersion()).isEqualTo("2");
        assertThat(c.parts().serviceAccountName()).isEqualTo("other");
        assertThat(c.matches(Map.of("app", "other"))).isTrue();
    }

    @Test
    void withoutSharingNothingIsShared() throws Exception {
        PreparedPodDefault a = PodDefaultMapper.prepare(podDefault("alice", "pd", "1", SPEC));
        PreparedPodDefault b = PodDefaultMapper.prepare(podDefault("bob", "pd", "2", SPEC));
        assertThat(b.injectedJson()).isEqualTo(a.injectedJson()).isNotSameAs(a.injectedJson());
        assertThat(b.sharedSelector()).isEqualTo(a.sharedSelector()).isNotSameAs(a.sharedSelector());
    }

    private static JsonNode field(PodDefaultParts parts, String list) {
        return switch (list) {
            case "env" -> parts.env();
            case "envFrom" -> parts.envFrom();
            case "volumes" -> parts.volumes();
            case "volumeMounts" -> parts.volumeMounts();
            case "tolerations" -> parts.tolerations();
            case "imagePullSecrets" -> parts.imagePullSecrets();
            case "initContainers" -> parts.initContainers();
            case "sidecars" -> parts.sidecars();
            case "command" -> parts.command();
            case "args" -> parts.args();
            default -> throw new IllegalArgumentException(list);
        };
    }

    private static PodDefault podDefault(String ns, String name, String rv, String spec) throws Exception {
        var json = Fixtures.JSON.createObjectNode().put("apiVersion", "kubeflow.org/v1alpha1").put("kind", "PodDefault");
        json.putObject("metadata").put("namespace", ns).put("name", name).put("resourceVersion", rv);
        json.set("spec", Fixtures.JSON.readTree(spec));
        return Fixtures.podDefault(json);
    }
}
