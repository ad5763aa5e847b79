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
            for (String f : new String[] {"name", "namespace", "generateName"}) {
                if (!absentOr(metadata.get(f), JsonNode::isTextual)) {
                    return Optional.of("metadata." + f + ": expected a string");
                }
            }
            for (String f : new String[] {"labels", "annotations"}) {
                Optional<String> p = stringMap(metadata.get(f), "metadata." + f);
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
        for (String f : new String[] {"volumes", "tolerations", "imagePullSecrets", "initContainers"}) {
            Optional<String> p = objectArray(spec.get(f), "spec." + f);
            if (p.isPresent()) {
                return p;
            }
        }
        if (!absentOr(spec.get("serviceAccountName"), JsonNode::isTextual)) {
            return Optional.of("spec.serviceAccountName: expected a string");
        }
        JsonNode containers = spec.get("containers");
        Optional<String> p = objectArray(containers, "spec.containers");
        if (p.isPresent() || containers == null || containers.isNull()) {
            return p;
        }
        for (int i = 0; i < containers.size(); i++) {
            JsonNode c = containers.get(i);
            String at = "spec.containers[" + i + "]";
            if (!absentOr(c.get("name"), JsonNode::isTextual)) {
                return Optional.of(at + ".name: expected a string");
            }
            for (String f : new String[] {"env", "envFrom", "volumeMounts"}) {
                Optional<String> q = objectArray(c.get(f), at + "." + f);
                if (q.isPresent()) {
                    return q;
                }
            }
            for (String f : new String[] {"command", "args"}) {
                JsonNode list = c.get(f);
                if (!absentOr(list, JsonNode::isArray)) {
                    return Optional.of(at + "." + f + ": expected an array of strings");
                }
                if (list != null && list.isArray()) {
                    for (JsonNode s : list) {
                        if (!s.isTextual()) {
                            return Optional.of(at + "." + f + ": expected an array of strings");
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> stringMap(JsonNode map, String where) {
        if (map == null || map.isNull()) {
            return Optional.empty();
        }
        if (!map.isObject()) {
            return Optional.of(where + ": expected a map of strings");
        }
        Iterator<Map.Entry<String, JsonNode>> it = map.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                return Optional.of(where + "[" + e.getKey() + "]: expected a string");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> objectArray(JsonNode array, String where) {
        if (array == null || array.isNull()) {
            return Optional.empty();
        }
        if (!array.isArray()) {
            return Optional.of(where + ": expected an array");
        }
        for (int i = 0; i < array.size(); i++) {
            if (!array.get(i).isObject()) {
                return Optional.of(where + "[" + i + "]: expected an object");
            }
        }
        return Optional.empty();
    }

    private static boolean absentOr(JsonNode n, java.util.function.Predicate<JsonNode> ok) {
        return n == null || n.isNull() || ok.test(n);
    }
}
