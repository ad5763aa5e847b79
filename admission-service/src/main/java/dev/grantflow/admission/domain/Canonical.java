package dev.grantflow.admission.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Equality of Kubernetes objects "as decoded": Kubeflow compares typed Go structs, where an explicit zero value
 * of a plain field ({@code readOnly: false}, {@code subPath: ""}, env {@code value: ""}) equals an absent field.
 * This class gives JSON trees the same equality by dropping {@code null}, {@code ""}, {@code false} and empty
 * arrays before comparing, and by comparing integral numbers by value ({@code 300} parsed from a request and
 * {@code 300L} from a typed model are the same).
 *
 * <p>Empty objects are kept: {@code emptyDir: {}} (a pointer in Go) is not the same as no emptyDir. The one
 * non-pointer struct of the compared types, {@code Container.resources}, is handled in {@link #container}.
 *
 * <p>Design note: Go keeps {@code optional: false} (a {@code *bool}) distinct from an absent field, this class
 * does not; the API server treats both as "not optional", so treating them as equal only avoids spurious
 * conflicts.
 */
final class Canonical {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Canonical() {
    }

    /** The canonical form of a JSON value, or {@code null} when it counts as absent. */
    static JsonNode of(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue().isEmpty() ? null : node;
        }
        if (node.isBoolean()) {
            return node.booleanValue() ? node : null;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return NODES.numberNode(node.longValue());
        }
        if (node.isArray()) {
            if (node.isEmpty()) {
                return null;
            }
            ArrayNode out = NODES.arrayNode(node.size());
            for (JsonNode item : node) {
                JsonNode c = of(item);
                out.add(c == null ? NODES.nullNode() : c);
            }
            return out;
        }
        if (node.isObject()) {
            // Sorted keys: equality does not depend on order, but messages printing canonical forms are stable.
            ObjectNode out = NODES.objectNode();
            List<String> names = new ArrayList<>(node.size());
            node.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            for (String name : names) {
                JsonNode c = of(node.get(name));
                if (c != null) {
                    out.set(name, c);
                }
            }
            return out;
        }
        return node;
    }

    static boolean equal(JsonNode a, JsonNode b) {
        JsonNode ca = of(a);
        JsonNode cb = of(b);
        return ca == null ? cb == null : ca.equals(cb);
    }

    /** Canonical form of a container: additionally, an empty {@code resources} equals an absent one. */
    static JsonNode container(JsonNode container) {
        JsonNode c = of(container);
        if (c instanceof ObjectNode o) {
            JsonNode resources = o.get("resources");
            if (resources != null && resources.isObject() && resources.isEmpty()) {
                o.remove("resources");
            }
        }
        return c;
    }

    static boolean equalContainers(JsonNode a, JsonNode b) {
        JsonNode ca = container(a);
        JsonNode cb = container(b);
        return ca == null ? cb == null : ca.equals(cb);
    }

    static boolean equalVolumes(JsonNode a, JsonNode b) {
        return equal(VolumeDefaults.fill(a), VolumeDefaults.fill(b));
    }
}
