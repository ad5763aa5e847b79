package dev.grantflow.admission.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The mutating webhook's decision for one pod (docs/poddefault-spec.md sections 3-8 with D1-D7): skip rules,
 * selection, all-or-nothing conflict detection, merge, marker annotations and the JSON Patch. Pure: the PodDefaults
 * come from a {@link PodDefaultLookup} snapshot, nothing is fetched.
 */
public final class PodDefaultPolicy {

    public static final String EXCLUDE_ANNOTATION = "poddefault.admission.kubeflow.org/exclude";
    public static final String MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";
    /** Kubernetes truncates longer warnings; keep ours readable within it. */
    static final int MAX_WARNING_LENGTH = 256;

    private final boolean skipInvalidSelectors;

    /**
     * @param skipInvalidSelectors {@code true} for Grantflow's D1 (skip and warn); {@code false} for Kubeflow's
     *                             behaviour (deny every pod of the namespace)
     */
    public PodDefaultPolicy(boolean skipInvalidSelectors) {
        this.skipInvalidSelectors = skipInvalidSelectors;
    }

    public PodAdmission decide(AdmissionRequest request, PodDefaultLookup lookup) {
        if (!request.isResource("", "v1", "pods") || !"CREATE".equals(request.operation())) {
            return PodAdmission.of(AdmissionDecision.Allow.because(AdmissionReason.NOT_APPLICABLE));
        }
        JsonNode object = request.object();
        String shapeProblem = PodShape.problem(object).orElse(null);
        if (shapeProblem != null) {
            return PodAdmission.of(new AdmissionDecision.Deny(AdmissionReason.INVALID_POD,
                    "cannot decode pod: " + shapeProblem, List.of()));
        }
        ObjectNode pod = (ObjectNode) object;
        JsonNode metadata = pod.path("metadata");
        String ownNamespace = metadata.path("namespace").asText("");
        String namespace = ownNamespace.isEmpty() ? nullToEmpty(request.namespace()) : ownNamespace;
        String podName = metadata.path("name").asText("");
        String displayName = !podName.isEmpty() ? podName
                : metadata.path("generateName").asText("").isEmpty() ? "" : metadata.path("generateName").asText() + "*";

        // Read in place, no map: PodShape has checked that the annotations are a map of strings.
        JsonNode annotations = metadata.get("annotations") instanceof ObjectNode o ? o : null;
        JsonNode exclude = annotations == null ? null : annotations.get(EXCLUDE_ANNOTATION);
        if (exclude != null && "true".equals(exclude.asText())) {
            return result(AdmissionDecision.Allow.because(AdmissionReason.EXCLUDED), namespace, displayName, List.of(), List.of());
        }
        if (annotations != null && annotations.has(MIRROR_POD_ANNOTATION)) {
            return result(AdmissionDecision.Allow.because(AdmissionReason.MIRROR_POD), namespace, displayName, List.of(), List.of());
        }

        PodDefaultSnapshot candidates = lookup.inNamespace(namespace);
        if (candidates == null || candidates.isEmpty()) {
            return result(AdmissionDecision.Allow.because(AdmissionReason.NO_PODDEFAULTS), namespace, displayName, List.of(), List.of());
        }

        Map<String, String> labels = labels(metadata.get("labels"));
        List<String> warnings = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<PreparedPodDefault> matching = new ArrayList<>();
        for (PreparedPodDefault pd : candidates.items()) {
            if (!pd.hasValidSelector()) {
                if (!skipInvalidSelectors) {
                    // Kubeflow converts every candidate's selector before matching and stops at the first failure.
                    return result(new AdmissionDecision.Deny(AdmissionReason.INVALID_SELECTOR,
                            "label selector conversion failed: " + pd.selectorText() + " for selector: " + pd.selectorError(),
                            List.of()), namespace, displayName, List.of(), List.of(pd.name()));
                }
                skipped.add(pd.name());
                warnings.add(truncate("PodDefault " + pd.name() + " skipped: label selector conversion failed: " + pd.selectorError()));
                continue;
            }
            if (pd.matches(labels)) {
                matching.add(pd);
            }
        }
        if (matching.isEmpty()) {
            return result(new AdmissionDecision.Allow(AdmissionReason.NO_MATCH, warnings), namespace, displayName, List.of(), skipped);
        }
        List<String> matched = matching.stream().map(PreparedPodDefault::name).toList();

        PodMerge.Result merge = PodMerge.merge(pod, matching);
        if (!merge.conflicts().isEmpty()) {
            List<String> c = merge.conflicts();
            String errors = c.size() == 1 ? c.get(0) : "[" + String.join(", ", c) + "]";
            String message = "conflict occurred while applying poddefaults: " + String.join(",", matched)
                    + " on pod: " + podName + " err: " + errors;
            return result(new AdmissionDecision.Deny(AdmissionReason.CONFLICT, message, warnings), namespace, displayName, matched, skipped);
        }
        return result(new AdmissionDecision.Patch(merge.patch(), warnings), namespace, displayName, matched, skipped);
    }

    private static PodAdmission result(AdmissionDecision d, String ns, String pod, List<String> matched, List<String> skipped) {
        return new PodAdmission(d, ns, pod, matched, skipped);
    }

    /**
     * The pod's labels as the selectors read them ({@code get}, {@code containsKey}), looked up in the pod's tree: no
     * map is built per pod. PodShape has checked that the labels are a map of strings.
     */
    private static Map<String, String> labels(JsonNode node) {
        if (!(node instanceof ObjectNode labels)) {
            return Map.of();
        }
        return new AbstractMap<>() {
            @Override
            public String get(Object key) {
                JsonNode value = key instanceof String k ? labels.get(k) : null;
                return value == null ? null : value.asText();
            }

            @Override
            public boolean containsKey(Object key) {
                return key instanceof String k && labels.has(k);
            }

            @Override
            public Set<Entry<String, String>> entrySet() {
                return stringMap(labels).entrySet();
            }
        };
    }

    private static Map<String, String> stringMap(JsonNode node) {
        if (node == null || !node.isObject()) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    static String truncate(String warning) {
        return warning.length() <= MAX_WARNING_LENGTH ? warning : warning.substring(0, MAX_WARNING_LENGTH - 3) + "...";
    }
}
