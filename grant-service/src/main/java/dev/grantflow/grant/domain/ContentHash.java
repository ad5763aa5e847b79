package dev.grantflow.grant.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.model.json.Json;
import dev.grantflow.trust.KeyedDigest;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code hmac-sha256:<hex>} of an object's content in a canonical JSON form: object keys sorted, nulls, empty arrays
 * and empty objects dropped. Two objects that Kubernetes treats as the same (an absent list and an empty one) hash the
 * same, so a copy read back from the API server never looks drifted. The hash is stored in annotations; the content
 * never is. It is keyed (HMAC with the service's digest key, {@link KeyedDigest}): a plain hash of a low-entropy value
 * (a PIN, a short password) could be reversed by trying guesses against the annotation.
 */
public final class ContentHash {

    private final KeyedDigest digest;

    public ContentHash(KeyedDigest digest) {
        this.digest = digest;
    }

    public String of(Object content) {
        JsonNode canonical = canonical(Json.toTree(content));
        String text = canonical == null ? "" : canonical.toString();
        return digest.of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The canonical form, or null when nothing is left. */
    static JsonNode canonical(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode value = canonical(field.getValue());
                if (value != null) {
                    sorted.put(field.getKey(), value);
                }
            }
            if (sorted.isEmpty()) {
                return null;
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            sorted.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (JsonNode element : node) {
                JsonNode value = canonical(element);
                out.add(value == null ? JsonNodeFactory.instance.objectNode() : value);
            }
            return out.isEmpty() ? null : out;
        }
        return node;
    }

}
