package dev.grantflow.admission.domain;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a pod AdmissionReview into a JSON tree that holds only what the mutating webhook reads (the envelope, the
 * request's uid, resource, subResource, operation, namespace and name, the pod's name, namespace, generateName,
 * labels and annotations, and the spec fields a PodDefault merges into: volumes, tolerations, imagePullSecrets,
 * initContainers, containers, serviceAccountName, automountServiceAccountToken). Everything else (userInfo, the
 * request's kinds, oldObject, options, the pod's owner references, managed fields, status, the other spec fields) is
 * tokenized and skipped, not built. The kept parts are the nodes the mapper's own {@code readTree} would build, and a
 * syntax error anywhere, skipped parts included, fails the read as it fails {@code readTree}.
 *
 * <p>The webhook's answer depends only on the kept parts, so a review read either way gets the same answer (a test
 * compares both over the fixtures and the property generators' bodies). The saving is the tree of the skipped parts,
 * about a third of a notebook pod's review. Where the mapper is configured to build trees differently from the
 * defaults mirrored here (big-number or long coercions, duplicate-key failure, trailing-token checks, dropped null
 * properties), {@link #usable} is false and the caller reads the whole tree instead.
 */
final class PodReviewReader {

    /** Nesting below which this class builds kept subtrees itself; deeper ones go to the mapper (non-recursive). */
    private static final int MAX_OWN_DEPTH = 32;

    /** The marker of a value kept whole (its own instance: compared by identity). */
    private static final Map<String, ?> WHOLE = Collections.unmodifiableMap(new HashMap<String, Object>());

    /** Field name to the schema of its value, {@link #WHOLE} for a value kept whole; fields not named are skipped. */
    private static final Map<String, Map<String, ?>> POD = Map.of(
            "metadata", Map.of("name", whole(), "namespace", whole(), "generateName", whole(), "labels", whole(),
                    "annotations", whole()),
            "spec", Map.of("volumes", whole(), "tolerations", whole(), "imagePullSecrets", whole(), "initContainers", whole(),
                    "containers", whole(), "serviceAccountName", whole(), "automountServiceAccountToken", whole()));
    private static final Map<String, ?> REQUEST = Map.of("uid", whole(), "resource", whole(), "subResource", whole(),
            "operation", whole(), "namespace", whole(), "name", whole(), "object", POD);
    private static final Map<String, ?> REVIEW = Map.of("apiVersion", whole(), "kind", whole(), "request", REQUEST);

    private final ObjectMapper json;
    private final JsonNodeFactory nodes;

    PodReviewReader(ObjectMapper json) {
        this.json = json;
        this.nodes = json.getNodeFactory();
    }

    /** Whether the mapper builds trees as this class mirrors (Jackson's defaults). */
    static boolean usable(ObjectMapper json) {
        var config = json.getDeserializationConfig();
        return !config.isEnabled(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                && !config.isEnabled(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
                && !config.isEnabled(DeserializationFeature.USE_LONG_FOR_INTS)
                && !config.isEnabled(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                && !config.isEnabled(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                && config.isEnabled(JsonNodeFeature.READ_NULL_PROPERTIES);
    }

    private static Map<String, ?> whole() {
        return WHOLE;
    }

    /** The review's tree with only the kept parts; {@link MissingNode} for a body without content, as readTree. */
    JsonNode read(byte[] body, int offset, int length) throws IOException {
        try (JsonParser p = json.createParser(body, offset, length)) {
            if (p.nextToken() == null) {
                return MissingNode.getInstance();
            }
            return value(p, REVIEW, 0);
        }
    }

    /** The value at the parser's current token, pruned to {@code schema}; the parser is left on its last token. */
    private JsonNode value(JsonParser p, Map<String, ?> schema, int depth) throws IOException {
        if (schema == WHOLE || p.currentToken() != JsonToken.START_OBJECT) {
            return tree(p, depth);
        }
        ObjectNode object = nodes.objectNode();
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            p.nextToken();
            Object child = schema.get(name);
            if (child == null) {
                p.skipChildren();
            } else {
                @SuppressWarnings("unchecked")
                Map<String, ?> childSchema = (Map<String, ?>) child;
                object.set(name, value(p, childSchema, depth + 1));
            }
        }
        return object;
    }

    /** The whole value at the current token, as Jackson's JsonNodeDeserializer builds it with default settings. */
    private JsonNode tree(JsonParser p, int depth) throws IOException {
        switch (p.currentToken()) {
            case START_OBJECT -> {
                if (depth >= MAX_OWN_DEPTH) {
                    return json.readTree(p);
                }
                ObjectNode object = nodes.objectNode();
                for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                    p.nextToken();
                    object.set(name, tree(p, depth + 1));
                }
                return object;
            }
            case START_ARRAY -> {
                if (depth >= MAX_OWN_DEPTH) {
                    return json.readTree(p);
                }
                ArrayNode array = nodes.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    array.add(tree(p, depth + 1));
                }
                return array;
            }
            case VALUE_STRING -> {
                return nodes.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> nodes.numberNode(p.getIntValue());
                    case LONG -> nodes.numberNode(p.getLongValue());
                    default -> nodes.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_TRUE -> {
                return nodes.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return nodes.booleanNode(false);
            }
            case VALUE_NULL -> {
                return nodes.nullNode();
            }
            default -> {
                // Floats (their node type depends on the number's form) and anything unusual: the mapper decides.
                return json.readTree(p);
            }
        }
    }
}
