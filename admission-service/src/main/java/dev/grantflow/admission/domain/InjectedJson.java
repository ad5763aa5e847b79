package dev.grantflow.admission.domain;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one PodDefault injects (service account, lists, annotations and labels) as one compact JSON text, e.g.
 * {@code {"env":[...],"volumes":[...]}} with only the fields the PodDefault sets. A JSON tree of the same content
 * costs several times more heap (a map per object node), and the cache holds one per PodDefault of the cluster; the
 * merge uses the few that match a pod ({@link #decode}, decoded once while recently used). Equal by content, so that
 * PodDefaults injecting the same things share one instance. Never mutated.
 *
 * <p>Held as a {@code String}, not as UTF-8 bytes: a compact string is one byte per character for the usual Latin-1
 * content (the same as the bytes), and it carries any Java string through unchanged. UTF-8 cannot: a lone surrogate
 * in a key or value (which Kubernetes strings may hold, and the property tests generate) was written into bytes that
 * Jackson then refused to read back.
 */
final class InjectedJson {

    static final String SERVICE_ACCOUNT_NAME = "serviceAccountName";
    static final String AUTOMOUNT = "automountServiceAccountToken";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String json;

    private InjectedJson(String json) {
        this.json = json;
    }

    static InjectedJson of(ObjectNode fields) {
        try {
            return new InjectedJson(JSON.writeValueAsString(fields));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise a JSON tree", e);
        }
    }

    /** Characters held, for the footprint figures. */
    int length() {
        return json.length();
    }

    /**
     * The parts of a PodDefault injecting this, as JSON trees that are shared and never modified (the merge copies
     * what it inserts). Decoded at most once while among the recently decoded ({@link #RECENT}).
     */
    PodDefaultParts decode(String name, String resourceVersion) {
        return RECENT.get(this, InjectedJson::decode).parts(name, resourceVersion);
    }

    private Decoded decode() {
        JsonNode fields;
        try {
            fields = JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read back the JSON this class wrote", e);
        }
        JsonNode automount = fields.get(AUTOMOUNT);
        return new Decoded(InjectedItems.of(fields, ASCII),
                fields.hasNonNull(SERVICE_ACCOUNT_NAME) ? fields.get(SERVICE_ACCOUNT_NAME).textValue() : null,
                automount == null || automount.isNull() ? null : automount.booleanValue(),
                array(fields, "env"), array(fields, "envFrom"), array(fields, "volumes"), array(fields, "volumeMounts"),
                map(fields, "annotations"), map(fields, "labels"), array(fields, "tolerations"),
                array(fields, "imagePullSecrets"), array(fields, "initContainers"), array(fields, "sidecars"),
                array(fields, "command"), array(fields, "args"));
    }

    /**
     * Recently decoded injected parts, by identity (equal injected JSON is one shared instance, see {@link #equals}):
     * the PodDefaults of busy namespaces are decoded once, not once per pod, and the memory stays bounded (at most 64
     * buckets of {@link RecentlyUsed#WAYS} decoded trees, a few KB each).
     */
    private static final RecentlyUsed<InjectedJson, Decoded> RECENT = RecentlyUsed.byIdentity(64);

    private record Decoded(InjectedItems items, String serviceAccountName, Boolean automountServiceAccountToken,
                           ArrayNode env, ArrayNode envFrom, ArrayNode volumes, ArrayNode volumeMounts,
                           Map<String, String> annotations, Map<String, String> labels, ArrayNode tolerations,
                           ArrayNode imagePullSecrets, ArrayNode initContainers, ArrayNode sidecars, ArrayNode command,
                           ArrayNode args) {
        PodDefaultParts parts(String name, String resourceVersion) {
            return new PodDefaultParts(name, resourceVersion, items, serviceAccountName, automountServiceAccountToken, env,
                    envFrom, volumes, volumeMounts, annotations, labels, tolerations, imagePullSecrets, initContainers,
                    sidecars, command, args);
        }
    }

    /** Writes JSON text with every character above ASCII escaped, so that it can go into any output unchanged. */
    private static final ObjectWriter ASCII = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build().writer();

    private static ArrayNode array(JsonNode fields, String field) {
        return fields.get(field) instanceof ArrayNode a ? a : null;
    }

    private static Map<String, String> map(JsonNode fields, String field) {
        if (!(fields.get(field) instanceof ObjectNode object)) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        return Collections.unmodifiableMap(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InjectedJson other && json.equals(other.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }
}
