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
 * <p>The items of those lists (volumes, containers and their env, envFrom and volume mounts, and so on) are
 * {@link SkimmedItem}s: object nodes with only the fields that the merge keys them by or descends into and that the
 * shape check reads (a container's name, env, envFrom, volume mounts, command and args; an env var's or a volume's
 * name; a mount's name and path), which know where the whole item is in the body. The merge reads an item whole
 * ({@link SkimmedItem#whole}) only where it compares or describes it: a name both the pod and a PodDefault use, and
 * the tolerations and envFrom entries of a pod that PodDefaults add some to.
 *
 * <p>The webhook's answer depends only on the kept parts, so a review read either way gets the same answer (tests
 * compare both over the fixtures and the property generators' bodies, and the merge of a pod read this way with the
 * merge of the whole pod). The saving is the tree of the skipped parts (about a third of a notebook pod's review)
 * and of the list items' other fields (most of the rest: a container's image, ports, resources and probes, a
 * volume's source, an env var's value). Where the mapper is configured to build trees differently from the
 * defaults mirrored here (big-number or long coercions, duplicate-key failure, trailing-token checks, dropped null
 * properties), {@link #usable} is false and the caller reads the whole tree instead.
 */
final class PodReviewReader {

    /** Nesting below which this class builds kept subtrees itself; deeper ones go to the mapper (non-recursive). */
    private static final int MAX_OWN_DEPTH = 32;

    /** The marker of a value kept whole (its own instance: compared by identity). */
    private static final Map<String, ?> WHOLE = Collections.unmodifiableMap(new HashMap<String, Object>());

    /**
     * The schema of a list whose object items are kept as {@link SkimmedItem}s: {@code fields} name the fields kept,
     * each with the schema of its value; an item that is not an object is kept whole.
     */
    private record Items(Map<String, ?> fields) {
    }

    private static final Items NAMED = new Items(Map.of("name", WHOLE));
    private static final Items NO_FIELDS = new Items(Map.of());
    /** What the merge and the shape check read of a container (a sidecar is compared whole, from its bytes). */
    private static final Items CONTAINERS = new Items(Map.of("name", WHOLE, "env", NAMED, "envFrom", NO_FIELDS,
            "volumeMounts", new Items(Map.of("name", WHOLE, "mountPath", WHOLE)), "command", WHOLE, "args", WHOLE));

    /**
     * Field name to the schema of its value: {@link #WHOLE} for a value kept whole, a map for an object pruned to the
     * fields it names, {@link Items} for a list of skimmed items; fields not named are skipped.
     */
    private static final Map<String, ?> POD = Map.of(
            "metadata", Map.of("name", WHOLE, "namespace", WHOLE, "generateName", WHOLE, "labels", WHOLE,
                    "annotations", WHOLE),
            "spec", Map.of("volumes", NAMED, "tolerations", NO_FIELDS, "imagePullSecrets", NAMED, "initContainers", NAMED,
                    "containers", CONTAINERS, "serviceAccountName", WHOLE, "automountServiceAccountToken", WHOLE));
    private static final Map<String, ?> REQUEST = Map.of("uid", WHOLE, "resource", WHOLE, "subResource", WHOLE,
            "operation", WHOLE, "namespace", WHOLE, "name", WHOLE, "object", POD);
    private static final Map<String, ?> REVIEW = Map.of("apiVersion", WHOLE, "kind", WHOLE, "request", REQUEST);

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

    /** The review's tree with only the kept parts; {@link MissingNode} for a body without content, as readTree. */
    JsonNode read(byte[] body, int offset, int length) throws IOException {
        try (JsonParser p = json.createParser(body, offset, length)) {
            if (p.nextToken() == null) {
                return MissingNode.getInstance();
            }
            return new Read(p, body, offset).value(REVIEW, 0);
        }
    }

    /** One read: the parser, and the bytes that skimmed items point into. */
    private final class Read {
        private final JsonParser p;
        private final byte[] body;
        /** Where the parser's byte offsets count from in {@code body}. */
        private final int offset;

        Read(JsonParser p, byte[] body, int offset) {
            this.p = p;
            this.body = body;
            this.offset = offset;
        }

        /** The value at the parser's current token, pruned to {@code schema}; the parser is left on its last token. */
        JsonNode value(Object schema, int depth) throws IOException {
            JsonToken token = p.currentToken();
            if (schema instanceof Items items && token == JsonToken.START_ARRAY) {
                ArrayNode array = nodes.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    array.add(p.currentToken() == JsonToken.START_OBJECT ? skimmed(items, depth + 1) : tree(p, depth + 1));
                }
                return array;
            }
            if (!(schema instanceof Map<?, ?> fields) || fields == WHOLE || token != JsonToken.START_OBJECT) {
                return tree(p, depth);
            }
            ObjectNode object = nodes.objectNode();
            fields(object, fields, depth);
            return object;
        }

        private SkimmedItem skimmed(Items items, int depth) throws IOException {
            SkimmedItem item = new SkimmedItem(nodes, json, body, position());
            fields(item, items.fields(), depth);
            item.endAt(position() + 1);
            return item;
        }

        /** The fields of the object at the current token that {@code schema} names, each pruned to its own schema. */
        private void fields(ObjectNode object, Map<?, ?> schema, int depth) throws IOException {
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                p.nextToken();
                Object child = schema.get(name);
                if (child == null) {
                    p.skipChildren();
                } else {
                    object.set(name, value(child, depth + 1));
                }
            }
        }

        /** Where the current token starts in {@code body}. */
        private int position() {
            return offset + (int) p.currentTokenLocation().getByteOffset();
        }
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
