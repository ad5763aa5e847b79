package dev.grantflow.admission.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Test sources: the RFC 6902 diff between two JSON trees that the service's merge used before it wrote its patch
 * operations itself ({@link PodMerge}); {@link TreeMergeOracle} and the tests that apply a patch use it. Computes an
 * RFC 6902 patch between two JSON trees (D5). Design: simple operations whose application order is
 * obviously valid, rather than a minimal patch.
 * <ul>
 *   <li>objects are diffed per member: {@code remove} for members that disappeared, {@code add} for new members
 *       (the whole value), recursion into members present on both sides;</li>
 *   <li>arrays that kept their elements in place and only grew are diffed element by element and the new
 *       elements are added at their explicit index, in ascending order;</li>
 *   <li>anything else (shrunk array, changed type, changed scalar) is one {@code replace} of the whole value.</li>
 * </ul>
 * Applying the patch to {@code from} yields exactly {@code to}; fields that neither side touched (including
 * fields unknown to any typed model) are preserved because the diff works on the raw trees.
 */
public final class JsonPatchMapper {

    private JsonPatchMapper() {
    }

    public static List<PatchOperation> diff(JsonNode from, JsonNode to) {
        List<PatchOperation> ops = new ArrayList<>();
        diff("", from, to, ops);
        return ops;
    }

    private static void diff(String path, JsonNode from, JsonNode to, List<PatchOperation> ops) {
        // The merge shares every node it did not change with the pod (copy on write): those are skipped by identity.
        if (from == to || from.equals(to)) {
            return;
        }
        if (from.isObject() && to.isObject()) {
            Iterator<String> names = from.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!to.has(name)) {
                    ops.add(PatchOperation.remove(path + "/" + PatchOperation.escape(name)));
                }
            }
            Iterator<Map.Entry<String, JsonNode>> fields = to.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                JsonNode old = from.get(e.getKey());
                if (old == e.getValue()) {
                    continue;
                }
                String child = path + "/" + PatchOperation.escape(e.getKey());
                if (old == null) {
                    ops.add(PatchOperation.add(child, e.getValue()));
                } else {
                    diff(child, old, e.getValue(), ops);
                }
            }
        } else if (from.isArray() && to.isArray() && to.size() >= from.size()) {
            for (int i = 0; i < from.size(); i++) {
                if (from.get(i) != to.get(i)) {
                    diff(path + "/" + i, from.get(i), to.get(i), ops);
                }
            }
            for (int i = from.size(); i < to.size(); i++) {
                ops.add(PatchOperation.add(path + "/" + i, to.get(i)));
            }
        } else if (path.isEmpty()) {
            throw new IllegalArgumentException("cannot replace the document root");
        } else {
            ops.add(PatchOperation.replace(path, to));
        }
    }

    public static ArrayNode toJson(List<PatchOperation> ops) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode(ops.size());
        for (PatchOperation op : ops) {
            ObjectNode o = out.addObject();
            o.put("op", op.op());
            o.put("path", op.path());
            if (op.value() != null) {
                o.set("value", op.value());
            }
        }
        return out;
    }
}
