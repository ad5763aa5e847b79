package dev.grantflow.model.poddefault;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small structural check of a JSON value against a CRD's openAPIV3Schema, enough to tell whether the API server
 * would accept an object and keep all of its fields: types, required properties, and unknown properties (which the
 * API server would silently prune). It covers the schema keywords the PodDefault CRD uses.
 */
final class CrdSchemaCheck {

    private CrdSchemaCheck() {
    }

    /** The problems of {@code value} under {@code schema}; empty when it would be stored unchanged. */
    static List<String> problems(JsonNode schema, JsonNode value, String path) {
        List<String> out = new ArrayList<>();
        check(schema, value, path, out);
        return out;
    }

    private static void check(JsonNode schema, JsonNode value, String path, List<String> out) {
        if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
            if (!value.isIntegralNumber() && !value.isTextual()) {
                out.add(path + ": expected integer or string");
            }
            return;
        }
        if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean() && !schema.has("type")) {
            return;
        }
        String type = schema.path("type").asText();
        switch (type) {
            case "object" -> object(schema, value, path, out);
            case "array" -> {
                if (!value.isArray()) {
                    out.add(path + ": expected array");
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    check(schema.path("items"), value.get(i), path + "[" + i + "]", out);
                }
            }
            case "string" -> expect(value.isTextual(), path, "string", out);
            case "integer" -> expect(value.isIntegralNumber(), path, "integer", out);
            case "number" -> expect(value.isNumber(), path, "number", out);
            case "boolean" -> expect(value.isBoolean(), path, "boolean", out);
            default -> out.add(path + ": schema without a known type: " + type);
        }
    }

    private static void object(JsonNode schema, JsonNode value, String path, List<String> out) {
        if (!value.isObject()) {
            out.add(path + ": expected object");
            return;
        }
        schema.path("required").forEach(required -> {
            if (!value.has(required.asText())) {
                out.add(path + "." + required.asText() + ": required");
            }
        });
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.path("additionalProperties");
        for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) value::fields) {
            String child = path + "." + field.getKey();
            if (properties.has(field.getKey())) {
                check(properties.get(field.getKey()), field.getValue(), child, out);
            } else if (additional.isObject()) {
                check(additional, field.getValue(), child, out);
            } else if (!schema.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
                out.add(child + ": unknown field, the API server would prune it");
            }
        }
    }

    private static void expect(boolean ok, String path, String type, List<String> out) {
        if (!ok) {
            out.add(path + ": expected " + type);
        }
    }
}
