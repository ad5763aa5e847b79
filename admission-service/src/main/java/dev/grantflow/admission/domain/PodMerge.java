package dev.grantflow.admission.domain;

import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.admission.domain.InjectedItems.Item;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The merge of docs/poddefault-spec.md sections 5-7, on the raw JSON of the pod: conflict detection and merging
 * are one pass over the same data, so what is checked is exactly what is applied. Never modifies its inputs.
 *
 * <p>Grantflow deviations implemented here: D2 (mounts keyed by volume name and mount path), D3 (tolerations
 * compared whole), D4 (volumes compared after API defaults, see {@link VolumeDefaults}), D5 (envFrom exact
 * duplicates dropped; sidecars de-duplicated against the pod's containers as received; the patch applies to the
 * pod and yields exactly the merged pod), D7 (messages without Go dumps and without env values).
 *
 * <p>Design note: the merge writes the RFC 6902 operations itself instead of building the merged pod and diffing it
 * with the pod. Every change it makes is of one of four kinds, each with an obvious operation: items appended to a
 * list ({@code add} at the explicit indexes after the pod's own items, or the whole list when the pod has none),
 * entries put into the labels or annotations ({@code add} per key, none when the pod already has the same value), a
 * scalar set on the spec ({@code add}, none when equal) and a container's missing command or args ({@code add}).
 * An object the pod lacks ({@code spec}, {@code metadata}) is added empty first. {@code add} on a member that exists
 * (e.g. a {@code null} list) replaces it (RFC 6902 4.1). Operations touch disjoint places, so their order does not
 * matter beyond parents first. The values are the matching PodDefaults' shared trees, not copies: an operation's
 * value is only ever written out, never modified. {@code TreeMergeOracle} (test sources) keeps the former
 * tree-and-diff merge; a test checks over the fixtures and generated pods that both give the same pod and the same
 * conflicts.
 *
 * <p>The pod's list items may be {@link SkimmedItem}s (the mutating webhook's read): the merge reads their keys as
 * they are and takes them whole ({@link SkimmedItem#whole}) wherever it compares or describes them ({@link ByKey#get},
 * the tolerations and envFrom entries seen).
 */
final class PodMerge {

    static final String MARKER_PREFIX = "poddefault.admission.kubeflow.org/poddefault-";
    static final String ISTIO_PROXY = "istio-proxy";
    /** Where the marker annotations go, up to the PodDefault's name: the prefix as a JSON pointer segment. */
    private static final String MARKER_PATH = "/metadata/annotations/" + PatchOperation.escape(MARKER_PREFIX);

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    record Result(List<PatchOperation> patch, List<String> conflicts) {
    }

    /** The pod's spec and metadata objects as received, or {@code null} when absent or not objects. */
    private final ObjectNode spec;
    private final ObjectNode metadata;
    /** The matching PodDefaults' injected parts, decoded once for this merge. */
    private final List<PodDefaultParts> podDefaults;
    private final List<PatchOperation> patch = new ArrayList<>();
    /** Whether this patch already adds the empty spec or metadata the pod lacks. */
    private boolean specAdded;
    private boolean metadataAdded;
    /** Distinct conflict messages in detection order. */
    private final Set<String> conflicts = new LinkedHashSet<>();

    private PodMerge(ObjectNode pod, List<PodDefaultParts> podDefaults) {
        this.spec = pod.get("spec") instanceof ObjectNode o ? o : null;
        this.metadata = pod.get("metadata") instanceof ObjectNode o ? o : null;
        this.podDefaults = podDefaults;
    }

    /**
     * Merges the matching PodDefaults, in the given (name) order, into the pod: the conflicts, and the patch that
     * turns the pod into the merged pod (meaningful only without conflicts).
     */
    static Result merge(ObjectNode pod, List<PreparedPodDefault> matching) {
        List<PodDefaultParts> parts = new ArrayList<>(matching.size());
        for (PreparedPodDefault pd : matching) {
            parts.add(pd.parts());
        }
        PodMerge m = new PodMerge(pod, parts);
        m.run();
        return new Result(m.patch, List.copyOf(m.conflicts));
    }

    private void run() {
        volumes();
        tolerations();
        imagePullSecrets();
        serviceAccount();
        JsonNode containers = spec == null ? null : spec.get("containers");
        if (containers != null && containers.isArray()) {
            for (int i = 0; i < containers.size(); i++) {
                if (containers.get(i) instanceof ObjectNode container) {
                    String path = "/spec/containers/" + i;
                    env(container, path);
                    volumeMounts(container, path);
                    envFrom(container, path);
                    commandAndArgs(container, path);
                }
            }
        }
        Map<String, String> annotations = metadataMap("annotations", PodDefaultParts::annotations);
        put("labels", metadataMap("labels", PodDefaultParts::labels));
        initContainers();
        sidecars();
        annotationsWithMarkers(annotations);
    }

    // ---- pod-level lists -------------------------------------------------------------------------------------

    private void volumes() {
        if (noneSet(InjectedItems::volumes)) {
            return;
        }
        ByKey byName = new ByKey();
        for (JsonNode v : items(spec, "volumes")) {
            byName.put(text(v, "name"), null, v);
        }
        List<Item> added = new ArrayList<>();
        for (PodDefaultParts pd : podDefaults) {
            for (Item item : pd.items().volumes()) {
                String name = item.name();
                JsonNode v = item.node();
                JsonNode found = byName.get(name, null);
                if (found == null) {
                    byName.put(name, null, v);
                    added.add(item);
                } else if (!Canonical.equalVolumes(found, v)) {
                    conflicts.add("merging volumes for " + pd.name() + " has a conflict on " + name
                            + ": PodDefault volume " + Canonical.of(VolumeDefaults.fill(v))
                            + " does not match existing volume " + Canonical.of(VolumeDefaults.fill(found)));
                }
            }
        }
        appendToSpec("volumes", added);
    }

    /** D3: a toleration is added unless an identical one is present; tolerations never conflict. */
    private void tolerations() {
        if (noneSet(InjectedItems::tolerations)) {
            return;
        }
        List<JsonNode> seen = new ArrayList<>();
        for (JsonNode t : items(spec, "tolerations")) {
            seen.add(Canonical.of(SkimmedItem.whole(t)));
        }
        List<Item> added = new ArrayList<>();
        for (PodDefaultParts pd : podDefaults) {
            for (Item t : pd.items().tolerations()) {
                JsonNode c = Canonical.of(t.node());
                if (!seen.contains(c)) {
                    seen.add(c);
                    added.add(t);
                }
            }
        }
        appendToSpec("tolerations", added);
    }

    private void imagePullSecrets() {
        if (noneSet(InjectedItems::imagePullSecrets)) {
            return;
        }
        ByKey byName = new ByKey();
        for (JsonNode s : items(spec, "imagePullSecrets")) {
            byName.put(text(s, "name"), null, s);
        }
        List<Item> added = new ArrayList<>();
        for (PodDefaultParts pd : podDefaults) {
            for (Item item : pd.items().imagePullSecrets()) {
                String name = item.name();
                JsonNode s = item.node();
                JsonNode found = byName.get(name, null);
                if (found == null) {
                    byName.put(name, null, s);
                    added.add(item);
                } else if (!Canonical.equal(found, s)) {
                    conflicts.add("merging image pull secrets for " + pd.name() + " has a conflict on " + name
                            + ": PodDefault entry " + Canonical.of(s) + " does not match existing entry " + Canonical.of(found));
                }
            }
        }
        appendToSpec("imagePullSecrets", added);
    }

    /** Last non-empty value wins, the pod's own value included; never a conflict. */
    private void serviceAccount() {
        String serviceAccountName = null;
        Boolean automount = null;
        for (PodDefaultParts pd : podDefaults) {
            if (pd.serviceAccountName() != null && !pd.serviceAccountName().isEmpty()) {
                serviceAccountName = pd.serviceAccountName();
            }
            if (pd.automountServiceAccountToken() != null) {
                automount = pd.automountServiceAccountToken();
            }
        }
        if (serviceAccountName != null) {
            setInSpec("serviceAccountName", NODES.textNode(serviceAccountName));
        }
        if (automount != null) {
            setInSpec("automountServiceAccountToken", NODES.booleanNode(automount));
        }
    }

    // ---- per container -----------------------------------------------------------------------------------------

    private void env(ObjectNode container, String at) {
        if (noneSet(InjectedItems::env)) {
            return;
        }
        ByKey byName = new ByKey();
        for (JsonNode e : items(container, "env")) {
            byName.put(text(e, "name"), null, e);
        }
        List<Item> added = new ArrayList<>();
        for (PodDefaultParts pd : podDefaults) {
            for (Item item : pd.items().env()) {
                String name = item.name();
                JsonNode e = item.node();
                JsonNode found = byName.get(name, null);
                if (found == null) {
                    byName.put(name, null, e);
                    added.add(item);
                } else if (!Canonical.equal(found, e)) {
                    conflicts.add("merging env for " + pd.name() + " has a conflict on " + name
                            + ": PodDefault sets it to " + describeEnv(e, null)
                            + ", but it is already set to " + describeEnv(found, e));
                }
            }
        }
        append(container, at, "env", added);
    }

    /** D2: mounts are keyed by (volume name, mount path); a path still holds only one mount. */
    private void volumeMounts(ObjectNode container, String at) {
        if (noneSet(InjectedItems::volumeMounts)) {
            return;
        }
        ByKey byKey = new ByKey();
        ByKey byPath = new ByKey();
        for (JsonNode m : items(container, "volumeMounts")) {
            String path = text(m, "mountPath");
            byKey.put(text(m, "name"), path, m);
            byPath.put(path, null, m);
        }
        List<Item> added = new ArrayList<>();
        for (PodDefaultParts pd : podDefaults) {
            for (Item item : pd.items().volumeMounts()) {
                String name = item.name();
                String path = item.mountPath();
                JsonNode m = item.node();
                JsonNode found = byKey.get(name, path);
                if (found == null) {
                    byKey.put(name, path, m);
                    added.add(item);
                } else if (!Canonical.equal(found, m)) {
                    conflicts.add("merging volume mounts for " + pd.name() + " has a conflict on " + name
                            + ": PodDefault mount " + Canonical.of(m) + " does not match existing mount " + Canonical.of(found));
                }
                JsonNode atPath = byPath.get(path, null);
                if (atPath == null) {
                    byPath.put(path, null, m);
                } else if (!Canonical.equal(atPath, m)) {
                    conflicts.add("merging volume mounts for " + pd.name() + " has a conflict on mount path " + path
                            + ": PodDefault mount " + Canonical.of(m) + " does not match existing mount " + Canonical.of(atPath));
                }
            }
        }
        append(container, at, "volumeMounts", added);
    }

    /** Appended after the container's own entries, never a conflict; D5: exact duplicates are dropped. */
    private void envFrom(ObjectNode container, String at) {
        if (noneSet(InjectedItems::envFrom)) {
            return;
        }
        List<JsonNode> seen = new ArrayList<>();
        for (JsonNode e : items(container, "envFrom")) {
            seen.add(Canonical.of(SkimmedItem.whole(e)));
        }
        List<Item> added = new ArrayList<>();
        for (PodDefaultParts pd : podDefaults) {
            for (Item e : pd.items().envFrom()) {
                JsonNode c = Canonical.of(e.node());
                if (!seen.contains(c)) {
                    seen.add(c);
                    added.add(e);
                }
            }
        }
        append(container, at, "envFrom", added);
    }

    /** Only for containers without one, from the first PodDefault that has one; never for istio-proxy. */
    private void commandAndArgs(ObjectNode container, String at) {
        if (ISTIO_PROXY.equals(text(container, "name"))) {
            return;
        }
        for (String field : List.of("command", "args")) {
            if (!isEmptyList(container.get(field))) {
                continue;
            }
            for (PodDefaultParts pd : podDefaults) {
                boolean command = "command".equals(field);
                ArrayNode value = command ? pd.command() : pd.args();
                if (!isEmptyList(value)) {
                    patch.add(PatchOperation.add(at + "/" + field, value, command ? pd.items().command() : pd.items().args()));
                    break;
                }
            }
        }
    }

    // ---- metadata -------------------------------------------------------------------------------------------

    /**
     * The entries the matching PodDefaults add to the pod's labels or annotations (keys it lacks), in merge order;
     * a key it has with another value is a conflict.
     */
    private Map<String, String> metadataMap(String field, Function<PodDefaultParts, Map<String, String>> getter) {
        boolean any = false;
        for (PodDefaultParts pd : podDefaults) {
            Map<String, String> values = getter.apply(pd);
            any |= values != null && !values.isEmpty();
        }
        if (!any) {
            return new LinkedHashMap<>();
        }
        JsonNode own = metadata == null ? null : metadata.get(field);
        Map<String, String> current = new HashMap<>();
        if (own != null && own.isObject()) {
            own.fields().forEachRemaining(e -> current.put(e.getKey(), e.getValue().asText()));
        }
        Map<String, String> added = new LinkedHashMap<>();
        for (PodDefaultParts pd : podDefaults) {
            Map<String, String> values = getter.apply(pd);
            if (values == null) {
                continue;
            }
            for (Map.Entry<String, String> e : values.entrySet()) {
                String value = e.getValue() == null ? "" : e.getValue();
                String found = current.get(e.getKey());
                if (found == null) {
                    current.put(e.getKey(), value);
                    added.put(e.getKey(), value);
                } else if (!found.equals(value)) {
                    String kind = "labels".equals(field) ? "label" : "annotation";
                    conflicts.add("merging has conflict on " + e.getKey() + ": " + kind + " value \"" + value
                            + "\" from PodDefault " + pd.name() + " does not match existing value \"" + found + "\"");
                }
            }
        }
        return added;
    }

    /**
     * Puts the annotations the PodDefaults add ({@code added}, from {@link #metadataMap}) and the marker annotations
     * (section 7), the markers over whatever the pod or a PodDefault has under their keys.
     */
    private void annotationsWithMarkers(Map<String, String> added) {
        JsonNode own = metadata == null ? null : metadata.get("annotations");
        if (added.isEmpty() && own instanceof ObjectNode map && !hasMarker(map)) {
            // The usual pod: one operation per marker, as put() would write them, with no key built, hashed or escaped.
            for (PodDefaultParts pd : podDefaults) {
                patch.add(PatchOperation.add(MARKER_PATH + PatchOperation.escape(pd.name()), NODES.textNode(marker(pd))));
            }
            return;
        }
        for (PodDefaultParts pd : podDefaults) {
            added.put(MARKER_PREFIX + pd.name(), marker(pd));
        }
        put("annotations", added);
    }

    private static String marker(PodDefaultParts pd) {
        return pd.resourceVersion() == null ? "" : pd.resourceVersion();
    }

    private static boolean hasMarker(ObjectNode annotations) {
        for (Iterator<String> keys = annotations.fieldNames(); keys.hasNext(); ) {
            if (keys.next().startsWith(MARKER_PREFIX)) {
                return true;
            }
        }
        return false;
    }

    // ---- containers added by PodDefaults --------------------------------------------------------------------

    private void initContainers() {
        addContainers("initContainers", InjectedItems::initContainers, "init container");
    }

    /**
     * Sidecars go to the end of spec.containers. They are compared with the containers as received (before
     * PodDefault env/mounts were merged into them): this is the check Kubeflow makes, and D5 makes the result
     * consistent with it (Kubeflow compares again after merging and then drops all containers).
     */
    private void sidecars() {
        addContainers("containers", InjectedItems::sidecars, "sidecar");
    }

    private void addContainers(String field, Function<InjectedItems, Item[]> getter, String what) {
        if (noneSet(getter)) {
            return;
        }
        ByKey byName = new ByKey();
        for (JsonNode c : items(spec, field)) {
            byName.put(text(c, "name"), null, c);
        }
        List<Item> added = new ArrayList<>();
        for (PodDefaultParts pd : podDefaults) {
            for (Item item : getter.apply(pd.items())) {
                String name = item.name();
                JsonNode c = item.node();
                JsonNode found = byName.get(name, null);
                if (found == null) {
                    byName.put(name, null, c);
                    added.add(item);
                } else if (!Canonical.equalContainers(found, c)) {
                    conflicts.add("merging containers for " + pd.name() + " has a conflict on " + name
                            + ": PodDefault " + what + " differs from the existing container in "
                            + String.join(", ", differingFields(found, c)));
                }
            }
        }
        appendToSpec(field, added);
    }

    private static List<String> differingFields(JsonNode a, JsonNode b) {
        JsonNode ca = Canonical.container(a);
        JsonNode cb = Canonical.container(b);
        Set<String> names = new TreeSet<>();
        if (ca != null) {
            ca.fieldNames().forEachRemaining(names::add);
        }
        if (cb != null) {
            cb.fieldNames().forEachRemaining(names::add);
        }
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (!Objects.equals(ca == null ? null : ca.get(n), cb == null ? null : cb.get(n))) {
                out.add(n);
            }
        }
        return out;
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /**
     * Describes an env var's source without its literal value (values may be secrets): {@code valueFrom} is
     * shown, a literal value is not.
     */
    static String describeEnv(JsonNode env, JsonNode other) {
        JsonNode valueFrom = Canonical.of(env.get("valueFrom"));
        if (valueFrom != null) {
            return "valueFrom " + valueFrom;
        }
        boolean literal = Canonical.of(env.get("value")) != null;
        if (!literal) {
            return "an empty value";
        }
        boolean otherLiteral = other != null && Canonical.of(other.get("value")) != null
                && Canonical.of(other.get("valueFrom")) == null;
        return otherLiteral ? "a different literal value" : "a literal value";
    }

    /** Adds the empty spec the pod lacks, once, before the first operation below it. */
    private void addSpecIfAbsent() {
        if (spec == null && !specAdded) {
            patch.add(PatchOperation.add("/spec", NODES.objectNode()));
            specAdded = true;
        }
    }

    private void appendToSpec(String field, List<Item> added) {
        if (!added.isEmpty()) {
            addSpecIfAbsent();
            append(spec, "/spec", field, added);
        }
    }

    /** Sets a scalar of the spec: no operation when the pod has an equal value. */
    private void setInSpec(String field, JsonNode value) {
        if (spec != null && value.equals(spec.get(field))) {
            return;
        }
        addSpecIfAbsent();
        patch.add(PatchOperation.add("/spec/" + field, value));
    }

    /**
     * Appends {@code added} to the list at {@code path/field} of the pod ({@code parent} is the pod's object there, or
     * {@code null} when the patch adds it): each item at its index after the pod's own items, or the whole list where
     * the pod has none (absent or {@code null}).
     */
    private void append(ObjectNode parent, String path, String field, List<Item> added) {
        if (added.isEmpty()) {
            return;
        }
        JsonNode existing = parent == null ? null : parent.get(field);
        String at = path + "/" + field;
        if (existing instanceof ArrayNode own) {
            int index = own.size();
            for (Item item : added) {
                patch.add(PatchOperation.add(at + "/" + index++, item.node(), item.json()));
            }
        } else {
            ArrayNode list = NODES.arrayNode(added.size());
            StringBuilder json = new StringBuilder("[");
            for (Item item : added) {
                list.add(item.node());
                json.append(json.length() > 1 ? "," : "").append(item.json().getValue());
            }
            patch.add(PatchOperation.add(at, list, new SerializedString(json.append(']').toString())));
        }
    }

    /**
     * A list's items by a key of one or two strings ({@code second} null for one), holding what a hash map from key to
     * item would: a later item with the key of an earlier one replaces it. Scanned while short, hashed beyond: a pod's
     * lists usually hold a handful of items, and comparing a few strings costs less than hashing the fresh strings of
     * every review.
     */
    private static final class ByKey {
        private static final int SCANNED = 16;

        private String[] firsts = new String[4];
        private String[] seconds = new String[4];
        private JsonNode[] items = new JsonNode[4];
        private int size;
        /** Set once more than {@link #SCANNED} items were put; then the arrays are no longer used. */
        private Map<Key, JsonNode> map;

        private record Key(String first, String second) {
        }

        /** The item held for the key, whole ({@link SkimmedItem#whole}: it is compared or described), or null. */
        JsonNode get(String first, String second) {
            if (map != null) {
                return SkimmedItem.whole(map.get(new Key(first, second)));
            }
            // From the end: the last item put with a key is the one held.
            for (int i = size - 1; i >= 0; i--) {
                if (firsts[i].equals(first) && Objects.equals(seconds[i], second)) {
                    return SkimmedItem.whole(items[i]);
                }
            }
            return null;
        }

        void put(String first, String second, JsonNode item) {
            if (map == null && size == SCANNED) {
                map = new HashMap<>();
                for (int i = 0; i < size; i++) {
                    map.put(new Key(firsts[i], seconds[i]), items[i]);
                }
            }
            if (map != null) {
                map.put(new Key(first, second), item);
                return;
            }
            if (size == items.length) {
                firsts = Arrays.copyOf(firsts, size * 2);
                seconds = Arrays.copyOf(seconds, size * 2);
                items = Arrays.copyOf(items, size * 2);
            }
            firsts[size] = first;
            seconds[size] = second;
            items[size++] = item;
        }
    }

    /**
     * Puts {@code entries} into the pod's labels or annotations: one operation per key whose value the pod does not
     * already have, or the whole map where the pod has none.
     */
    private void put(String field, Map<String, String> entries) {
        if (entries.isEmpty()) {
            return;
        }
        JsonNode own = metadata == null ? null : metadata.get(field);
        String at = "/metadata/" + field;
        if (own instanceof ObjectNode map) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                JsonNode found = map.get(e.getKey());
                if (found == null || !found.isTextual() || !found.textValue().equals(e.getValue())) {
                    patch.add(PatchOperation.add(at + "/" + PatchOperation.escape(e.getKey()), NODES.textNode(e.getValue())));
                }
            }
            return;
        }
        if (metadata == null && !metadataAdded) {
            patch.add(PatchOperation.add("/metadata", NODES.objectNode()));
            metadataAdded = true;
        }
        ObjectNode map = NODES.objectNode();
        entries.forEach(map::put);
        patch.add(PatchOperation.add(at, map));
    }

    /**
     * Whether no matching PodDefault sets the list: then nothing is added and nothing conflicts, and the pod's own
     * entries need no index or canonical forms.
     */
    private boolean noneSet(Function<InjectedItems, Item[]> list) {
        for (PodDefaultParts pd : podDefaults) {
            if (list.apply(pd.items()).length > 0) {
                return false;
            }
        }
        return true;
    }

    private static Iterable<JsonNode> items(JsonNode parent, String field) {
        return parent == null ? List.of() : items(parent.get(field));
    }

    private static Iterable<JsonNode> items(JsonNode array) {
        if (array == null || !array.isArray()) {
            return List.of();
        }
        return array;
    }

    private static boolean isEmptyList(JsonNode n) {
        return n == null || n.isNull() || (n.isArray() && n.isEmpty());
    }

    static String text(JsonNode node, String field) {
        if (node == null) {
            return "";
        }
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }
}
