package dev.grantflow.admission.domain;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What the merge reads of a PodDefault's list items, taken out of the trees once per decode ({@link InjectedJson}):
 * each item's keys and the JSON text the patch writes for it. A pod's merge then reads a few strings per item instead
 * of walking the item's tree, whose nodes are long-lived and seldom in the processor's caches by the time a pod
 * arrives; and it compares trees only where keys meet.
 *
 * <p>Each list is empty when the PodDefault does not set it (absent, {@code null} or empty), as the merge treats all
 * three alike. Shared like the trees: never modified.
 */
record InjectedItems(
        Item[] env,
        Item[] envFrom,
        Item[] volumes,
        Item[] volumeMounts,
        Item[] tolerations,
        Item[] imagePullSecrets,
        Item[] initContainers,
        Item[] sidecars,
        SerializableString command,
        SerializableString args) {

    private static final Item[] NONE = new Item[0];

    /**
     * One item: its tree (what conflicts compare and messages print), its {@code name} ({@code ""} when it has none,
     * as the merge keys it), its {@code mountPath} (volume mounts only, else {@code ""}) and its JSON text (ASCII).
     */
    record Item(JsonNode node, String name, String mountPath, SerializableString json) {
    }

    /** @param ascii writes JSON with every character above ASCII escaped, so that the text goes into any output */
    static InjectedItems of(JsonNode fields, ObjectWriter ascii) {
        return new InjectedItems(items(fields, "env", ascii), items(fields, "envFrom", ascii), items(fields, "volumes", ascii),
                items(fields, "volumeMounts", ascii), items(fields, "tolerations", ascii),
                items(fields, "imagePullSecrets", ascii), items(fields, "initContainers", ascii),
                items(fields, "sidecars", ascii), list(fields, "command", ascii), list(fields, "args", ascii));
    }

    private static Item[] items(JsonNode fields, String list, ObjectWriter ascii) {
        if (!(fields.get(list) instanceof ArrayNode nodes) || nodes.isEmpty()) {
            return NONE;
        }
        Item[] items = new Item[nodes.size()];
        for (int i = 0; i < items.length; i++) {
            JsonNode node = nodes.get(i);
            items[i] = new Item(node, PodMerge.text(node, "name"),
                    "volumeMounts".equals(list) ? PodMerge.text(node, "mountPath") : "", write(node, ascii));
        }
        return items;
    }

    /** The JSON text of a list of strings ({@code command}, {@code args}), or {@code null} when it is not a list. */
    private static SerializableString list(JsonNode fields, String field, ObjectWriter ascii) {
        return fields.get(field) instanceof ArrayNode value ? write(value, ascii) : null;
    }

    private static SerializableString write(JsonNode node, ObjectWriter ascii) {
        try {
            return new SerializedString(ascii.writeValueAsString(node));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise a JSON tree", e);
        }
    }
}
