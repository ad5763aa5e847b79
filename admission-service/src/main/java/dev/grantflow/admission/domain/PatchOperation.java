package dev.grantflow.admission.domain;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One RFC 6902 operation. {@code path} is an RFC 6901 JSON pointer (already escaped); {@code value} is
 * {@code null} for {@code remove}. The value may be a tree shared with the PodDefault cache (see {@link PodMerge}):
 * write it out, never modify it. {@code valueJson} is the value's JSON text when known (ASCII only, e.g. a PodDefault's
 * item written once when decoded, its bytes kept by the {@link SerializableString}), else {@code null}; the answer copies
 * it instead of writing the tree.
 */
public record PatchOperation(String op, String path, JsonNode value, SerializableString valueJson) {

    public static PatchOperation add(String path, JsonNode value) {
        return new PatchOperation("add", path, value, null);
    }

    public static PatchOperation add(String path, JsonNode value, SerializableString valueJson) {
        return new PatchOperation("add", path, value, valueJson);
    }

    public static PatchOperation replace(String path, JsonNode value) {
        return new PatchOperation("replace", path, value, null);
    }

    public static PatchOperation remove(String path) {
        return new PatchOperation("remove", path, null, null);
    }

    /** A member name as a JSON pointer segment (RFC 6901): {@code ~} becomes {@code ~0}, {@code /} becomes {@code ~1}. */
    public static String escape(String key) {
        if (key.indexOf('~') < 0 && key.indexOf('/') < 0) {
            return key;
        }
        return key.replace("~", "~0").replace("/", "~1");
    }
}
