package dev.grantflow.admission.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Checks that the parts of a pod the merge reads have the types of a core/v1 Pod (Kubeflow decodes into a typed
 * Pod and denies on a decode error). Everything else of the pod is left alone, so fields unknown to any model are
 * fine. {@code null} counts as absent, as in the API server's decoder.
 */
final class PodShape {

    private static final String[] METADATA_STRINGS = {"name", "namespace", "generateName"};
    private static final String[] METADATA_MAPS = {"labels", "annotations"};
    private static final String[] SPEC_LISTS = {"volumes", "tolerations", "imagePullSecrets", "initContainers"};
    private static final String[] CONTAINER_LISTS = {"env", "envFrom", "volumeMounts"};
    private static final String[] CONTAINER_STRING_LISTS = {"command", "args"};

    private PodShape() {
    }

    static Optional<String> problem(JsonNode pod) {
        if (pod == null || !pod.isObject()) {
            return Optional.of("object: expected a JSON object");
        }
        JsonNode metadata = pod.get("metadata");
        if (!absentOr(metadata, JsonNode::isObject)) {
            return Optional.of("metadata: expected an object");
        }
        if (metadata != null && !metadata.isNull()) {
            for (String f : METADATA_STRINGS) {
                if (!absentOr(metadata.get(f), JsonNode::isTextual)) {
                    return Optional.of("metadata." + f + ": expected a string");
                }
            }
            for (String f : METADATA_MAPS) {
                Optional<String> p = stringMap(metadata.get(f), "metadata.", f);
                if (p.isPresent()) {
                    return p;
                }
            }
        }
        JsonNode spec = pod.get("spec");
        if (!absentOr(spec, JsonNode::isObject)) {
            return Optional.of("spec: expected an object");
        }
        if (spec == null || spec.isNull()) {
            return Optional.empty();
        }
        for (String f : SPEC_LISTS) {
            Optional<String> p = objectArray(spec.get(f), "spec.", f);
            if (p.isPresent()) {
                return p;
            }
        }
        if (!absentOr(spec.get("serviceAccountName"), JsonNode::isTextual)) {
            return Optional.of("spec.serviceAccountName: expected a string");
        }
        JsonNode containers = spec.get("containers");
        Optional<String> p = objectArray(containers, "spec.", "containers");
        if (p.isPresent() || containers == null || containers.isNull()) {
            return p;
        }
        for (int i = 0; i < containers.size(); i++) {
            JsonNode c = containers.get(i);
            if (!absentOr(c.get("name"), JsonNode::isTextual)) {
                return Optional.of(container(i) + ".name: expected a string");
            }
            for (String f : CONTAINER_LISTS) {
                JsonNode list = c.get(f);
                if (list != null && !list.isNull()) {
                    Optional<String> q = objectArray(list, container(i) + ".", f);
                    if (q.isPresent()) {
                        return q;
                    }
                }
            }
            for (String f : CONTAINER_STRING_LISTS) {
                JsonNode list = c.get(f);
                if (!absentOr(list, JsonNode::isArray)) {
                    return Optional.of(container(i) + "." + f + ": expected an array of strings");
                }
                if (list != null && list.isArray()) {
                    for (JsonNode s : list) {
                        if (!s.isTextual()) {
                            return Optional.of(container(i) + "." + f + ": expected an array of strings");
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static String container(int index) {
        return "spec.containers[" + index + "]";
    }

    /** {@code where} is {@code prefix + field}, joined only for a message. */
    private static Optional<String> stringMap(JsonNode map, String prefix, String field) {
        if (map == null || map.isNull()) {
            return Optional.empty();
        }
        if (!map.isObject()) {
            return Optional.of(prefix + field + ": expected a map of strings");
        }
        Iterator<Map.Entry<String, JsonNode>> it = map.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                return Optional.of(prefix + field + "[" + e.getKey() + "]: expected a string");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> objectArray(JsonNode array, String prefix, String field) {
        if (array == null || array.isNull()) {
            return Optional.empty();
        }
        if (!array.isArray()) {
            return Optional.of(prefix + field + ": expected an array");
        }
        for (int i = 0; i < array.size(); i++) {
            if (!array.get(i).isObject()) {
                return Optional.of(prefix + field + "[" + i + "]: expected an object");
            }
        }
        return Optional.empty();
    }

    private static boolean absentOr(JsonNode n, java.util.function.Predicate<JsonNode> ok) {
        return n == null || n.isNull() || ok.test(n);
    }
}
