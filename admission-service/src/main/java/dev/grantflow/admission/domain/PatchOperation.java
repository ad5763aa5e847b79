package dev.grantflow.admission.domain;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One RFC 6902 operation. {@code path} is an RFC 6901 JSON pointer (already escaped); {@code value} is
 * {@code null} for {@code remove}. The value may be a tree shared with the PodDefault cache (see {@link PodMerge}):
 * write it out, never modify it.
 */
public record PatchOperation(String op, String path, JsonNode value) {

    public static PatchOperation add(String path, JsonNode value) {
        return new PatchOperation("add", path, value);
    }

    public static PatchOperation replace(String path, JsonNode value) {
        return new PatchOperation("replace", path, value);
    }

    public static PatchOperation remove(String path) {
        return new PatchOperation("remove", path, null);
    }
}
