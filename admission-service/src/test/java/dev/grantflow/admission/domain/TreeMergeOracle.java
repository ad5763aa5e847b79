package dev.grantflow.admission.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The test oracle for {@link PodMerge}: the merge as it was written before it emitted patch operations itself (a
 * copy-on-write merged tree, diffed afterwards with {@link JsonPatchMapper#diff}), kept verbatim but for its name. The
 * equivalence test applies the emitted patch to the pod and compares the result with this merged tree; its conflict
 * messages must equal the new merge's too.
 *
 * <p>Original description: the merge of docs/poddefault-spec.md sections 5-7, on the raw JSON of the pod: conflict
 * detection and merging are one pass over the same data, so what is checked is exactly what is applied. Never modifies
 * its inputs. Grantflow deviations implemented here: D2 (mounts keyed by volume name and mount path), D3 (tolerations
 * compared whole), D4 (volumes compared after API defaults, see {@link VolumeDefaults}), D5 (envFrom exact
 * duplicates dropped; sidecars de-duplicated against the pod's containers as received), D7 (messages without Go
 * dumps and without env values).
 */
final class TreeMergeOracle {

    static final String MARKER_PREFIX = PodMerge.MARKER_PREFIX;
    static final String ISTIO_PROXY = PodMerge.ISTIO_PROXY;

    record Result(ObjectNode merged, List<String> conflicts) {
    }

    private final ObjectNode pod;
    /** The matching PodDefaults' injected parts, decoded once for this merge. */
    private final List<PodDefaultParts> podDefaults;
    private final ObjectNode merged;
    /**
     * The nodes of {@link #merged} this merge made (copy on write): only these are ever modified. Every other node
     * of {@code merged} is the pod's own, shared, so that the diff skips what the merge left alone by identity.
     */
    private final Set<JsonNode> owned = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Distinct conflict messages in detection order. */
    private final Set<String> conflicts = new LinkedHashSet<>();

    private TreeMergeOracle(ObjectNode pod, List<PodDefaultParts> podDefaults) {
        this.pod = pod;
        this.podDefaults = podDefaults;
        this.merged = copyOf(pod);
    }

    /**
     * Merges the matching PodDefaults, in the given (name) order, into a copy of the pod: a copy on write, sharing
     * every node the merge does not change with the pod.
     */
    static Result merge(ObjectNode pod, List<PreparedPodDefault> matching) {
        List<PodDefaultParts> parts = new ArrayList<>(matching.size());
        for (PreparedPodDefault pd : matching) {
            parts.add(pd.parts());
        }
        TreeMergeOracle m = new TreeMergeOracle(pod, parts);
        m.run();
        return new Result(m.merged, List.copyOf(m.conflicts));
    }

    private void run() {
        volumes();
        tolerations();
        imagePullSecrets();
        serviceAccount();
        JsonNode containers = spec(false) == null ? null : spec(false).get("containers");
        if (containers != null && containers.isArray()) {
            ArrayNode writable = writableArray(spec(true), "containers");
            for (int i = 0; i < writable.size(); i++) {
                if (writable.get(i) instanceof ObjectNode shared) {
                    ObjectNode container = copyOf(shared);
                    writable.set(i, container);
                    env(container);
                    volumeMounts(container);
                    envFrom(container);
                    commandAndArgs(container);
                }
            }
        }
        metadataMap("annotations", PodDefaultParts::annotations);
        metadataMap("labels", PodDefaultParts::labels);
        initContainers();
        sidecars();
        markers();
    }

    // ---- pod-level lists -------------------------------------------------------------------------------------

    private void volumes() {
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode v : items(spec(false), "volumes")) {
            byName.put(text(v, "name"), v);
        }
        List<JsonNode> added = new ArrayList<>();
        for (PodDefaultParts pd : podDefaults) {
            for (JsonNode v : items(pd.volumes())) {
                String name = text(v, "name");
                JsonNode found = byName.get(name);
                if (found == null) {
                    byName.put(name, v);
                    added.add(v.deepCopy());
                } else if (!Canonical.equalVolumes(found, v)) {
                    conflicts.add("merging volumes for " + pd.name() + " has a conflict on " + name
                            + ": PodDefault volume " + Canonical.of(VolumeDefaults.fill(v))
                            + " does not match existing volume " + Canonical.of(VolumeDefaults.fill(found)));
                }
            }
        }
        append(spec(!added.isEmpty()), "volumes", added);
    }

    /** D3: a toleration is added unless an identical one is present; tolerations never conflict. */
    private void tolerations() {
        if (noneSet(PodDefaultParts::tolerations)) {
            return;
        }
        List<JsonNode> seen = new ArrayList<>();
        for (JsonNode t : items(spec(false), "tolerations")) {
            seen.add(Canonical.of(t));
        }
        List<JsonNode> added = new ArrayList<>();
        for (PodDefaultParts pd : podDefaults) {
            for (JsonNode t : items(pd.tolerations())) {
                JsonNode c = Canonical.of(t);
                if (!seen.contains(c)) {
                    seen.add(c);
                    added.add(t.deepCopy());
                }
            }
        }
        append(spec(!added.isEmpty()), "tolerations", added);
    }

    private void imagePullSecrets() {
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode s : items(spec(false), "imagePullSecrets")) {
            byName.put(text(s, "name"), s);
        }
        List<JsonNode> added = new ArrayList<>();
        for (PodDefaultParts pd : podDefaults) {
            for (JsonNode s : items(pd.imagePullSecrets())) {
                String name = text(s, "name");
                JsonNode found = byName.get(name);
                if (found == null) {
                    byName.put(name, s);
                    added.add(s.deepCopy());
                } else if (!Canonical.equal(found, s)) {
                    conflicts.add("merging image pull secrets for " + pd.name() + " has a conflict on " + name
                            + ": PodDefault entry " + Canonical.of(s) + " does not match existing entry " + Canonical.of(found));
                }
            }
        }
        append(spec(!added.isEmpty()), "imagePullSecrets", added);
    }

    /** Last non-empty value wins, the pod's own value included; never a conflict. */
    private void serviceAccount() {
        for (PodDefaultParts pd : podDefaults) {
            if (pd.serviceAccountName() != null && !pd.serviceAccountName().isEmpty()) {
                spec(true).put("serviceAccountName", pd.serviceAccountName());
            }
            if (pd.automountServiceAccountToken() != null) {
                spec(true).put("automountServiceAccountToken", pd.automountServiceAccountToken());
            }
        }
    }

    // ---- per container -----------------------------------------------------------------------------------------

    private void env(ObjectNode container) {
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode e : items(container, "env")) {
            byName.put(text(e, "name"), e);
        }
        List<JsonNode> added = new ArrayList<>();
        for (PodDefaultParts pd : podDefaults) {
            for (JsonNode e : items(pd.env())) {
                String name = text(e, "name");
                JsonNode found = byName.get(name);
                if (found == null) {
                    byName.put(name, e);
                    added.add(e.deepCopy());
                } else if (!Canonical.equal(found, e)) {
                    conflicts.add("merging env for " + pd.name() + " has a conflict on " + name
                            + ": PodDefault sets it to " + describeEnv(e, null)
                            + ", but it is already set to " + describeEnv(found, e));
                }
            }
        }
        append(container, "env", added);
    }

    /** D2: mounts are keyed by (volume name, mount path); a path still holds only one mount. */
    private void volumeMounts(ObjectNode container) {
        Map<String, JsonNode> byKey = new HashMap<>();
        Map<String, JsonNode> byPath = new HashMap<>();
        for (JsonNode m : items(container, "volumeMounts")) {
            byKey.put(mountKey(m), m);
            byPath.put(text(m, "mountPath"), m);
        }
        List<JsonNode> added = new ArrayList<>();
        for (PodDefaultParts pd : podDefaults) {
            for (JsonNode m : items(pd.volumeMounts())) {
                String name = text(m, "name");
                String path = text(m, "mountPath");
                JsonNode found = byKey.get(mountKey(m));
                if (found == null) {
                    byKey.put(mountKey(m), m);
                    added.add(m.deepCopy());
                } else if (!Canonical.equal(found, m)) {
                    conflicts.add("merging volume mounts for " + pd.name() + " has a conflict on " + name
                            + ": PodDefault mount " + Canonical.of(m) + " does not match existing mount " + Canonical.of(found));
                }
                JsonNode atPath = byPath.get(path);
                if (atPath == null) {
                    byPath.put(path, m);
                } else if (!Canonical.equal(atPath, m)) {
                    conflicts.add("merging volume mounts for " + pd.name() + " has a conflict on mount path " + path
                            + ": PodDefault mount " + Canonical.of(m) + " does not match existing mount " + Canonical.of(atPath));
                }
            }
        }
        append(container, "volumeMounts", added);
    }

    /** Appended after the container's own entries, never a conflict; D5: exact duplicates are dropped. */
    private void envFrom(ObjectNode container) {
        if (noneSet(PodDefaultParts::envFrom)) {
            return;
        }
        List<JsonNode> seen = new ArrayList<>();
        for (JsonNode e : items(container, "envFrom")) {
            seen.add(Canonical.of(e));
        }
        List<JsonNode> added = new ArrayList<>();
        for (PodDefaultParts pd : podDefaults) {
            for (JsonNode e : items(pd.envFrom())) {
                JsonNode c = Canonical.of(e);
                if (!seen.contains(c)) {
                    seen.add(c);
                    added.add(e.deepCopy());
                }
            }
        }
        append(container, "envFrom", added);
    }

    /** Only for containers without one, from the first PodDefault that has one; never for istio-proxy. */
    private void commandAndArgs(ObjectNode container) {
        if (ISTIO_PROXY.equals(text(container, "name"))) {
            return;
        }
        for (String field : List.of("command", "args")) {
            if (!isEmptyList(container.get(field))) {
                continue;
            }
            for (PodDefaultParts pd : podDefaults) {
                ArrayNode value = "command".equals(field) ? pd.command() : pd.args();
                if (!isEmptyList(value)) {
                    container.set(field, value.deepCopy());
                    break;
                }
            }
        }
    }

    // ---- metadata -------------------------------------------------------------------------------------------

    private void metadataMap(String field, Function<PodDefaultParts, Map<String, String>> getter) {
        JsonNode own = metadata(false) == null ? null : metadata(false).get(field);
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
        if (!added.isEmpty()) {
            ObjectNode target = writableObject(metadata(true), field);
            added.forEach(target::put);
        }
    }

    private void markers() {
        if (podDefaults.isEmpty()) {
            return;
        }
        ObjectNode annotations = writableObject(metadata(true), "annotations");
        for (PodDefaultParts pd : podDefaults) {
            annotations.put(MARKER_PREFIX + pd.name(), pd.resourceVersion() == null ? "" : pd.resourceVersion());
        }
    }

    // ---- containers added by PodDefaults --------------------------------------------------------------------

    private void initContainers() {
        addContainers("initContainers", PodDefaultParts::initContainers, "init container");
    }

    /**
     * Sidecars go to the end of spec.containers. They are compared with the containers as received (before
     * PodDefault env/mounts were merged into them): this is the check Kubeflow makes, and D5 makes the result
     * consistent with it (Kubeflow compares again after merging and then drops all containers).
     */
    private void sidecars() {
        addContainers("containers", PodDefaultParts::sidecars, "sidecar");
    }

    private void addContainers(String field, Function<PodDefaultParts, ArrayNode> getter, String what) {
        Map<String, JsonNode> byName = new HashMap<>();
        JsonNode originalSpec = pod.get("spec");
        for (JsonNode c : items(originalSpec, field)) {
            byName.put(text(c, "name"), c);
        }
        List<JsonNode> added = new ArrayList<>();
        for (PodDefaultParts pd : podDefaults) {
            for (JsonNode c : items(getter.apply(pd))) {
                String name = text(c, "name");
                JsonNode found = byName.get(name);
                if (found == null) {
                    byName.put(name, c);
                    added.add(c.deepCopy());
                } else if (!Canonical.equalContainers(found, c)) {
                    conflicts.add("merging containers for " + pd.name() + " has a conflict on " + name
                            + ": PodDefault " + what + " differs from the existing container in "
                            + String.join(", ", differingFields(found, c)));
                }
            }
        }
        append(spec(!added.isEmpty()), field, added);
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

    private static String mountKey(JsonNode mount) {
        return text(mount, "name") + '\u0000' + text(mount, "mountPath");
    }

    /**
     * The merged pod's spec: to read ({@code write} false: null when there is none), or to change ({@code write}
     * true: this merge's own copy, made or created on first use).
     */
    private ObjectNode spec(boolean write) {
        if (write) {
            return writableObject(merged, "spec");
        }
        return merged.get("spec") instanceof ObjectNode o ? o : null;
    }

    /** The merged pod's metadata, as {@link #spec(boolean)}. */
    private ObjectNode metadata(boolean write) {
        if (write) {
            return writableObject(merged, "metadata");
        }
        return merged.get("metadata") instanceof ObjectNode o ? o : null;
    }

    /** A shallow copy of {@code node} that this merge owns: the same children, themselves still shared. */
    private ObjectNode copyOf(ObjectNode node) {
        ObjectNode copy = node.objectNode();
        copy.setAll(node);
        owned.add(copy);
        return copy;
    }

    /**
     * The object at {@code parent.field} that this merge may change ({@code parent} must be one it owns): the one it
     * already made, or a shallow copy of the pod's, or a new empty one where there is no object.
     */
    private ObjectNode writableObject(ObjectNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n instanceof ObjectNode o && owned.contains(o)) {
            return o;
        }
        ObjectNode writable = n instanceof ObjectNode o ? copyOf(o) : own(parent.objectNode());
        parent.set(field, writable);
        return writable;
    }

    /** The array at {@code parent.field} this merge may change, as {@link #writableObject}. */
    private ArrayNode writableArray(ObjectNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n instanceof ArrayNode a && owned.contains(a)) {
            return a;
        }
        ArrayNode writable = own(parent.arrayNode());
        if (n instanceof ArrayNode a) {
            writable.addAll(a);
        }
        parent.set(field, writable);
        return writable;
    }

    private <T extends JsonNode> T own(T node) {
        owned.add(node);
        return node;
    }

    /** Appends {@code added} to the list at {@code parent.field} ({@code parent} owned; the list copied first). */
    private void append(ObjectNode parent, String field, List<JsonNode> added) {
        if (added.isEmpty()) {
            return;
        }
        ArrayNode target = writableArray(parent, field);
        added.forEach(target::add);
    }

    /** Whether no matching PodDefault sets the list (the pod's own entries then need no canonical forms). */
    private boolean noneSet(Function<PodDefaultParts, ArrayNode> list) {
        for (PodDefaultParts pd : podDefaults) {
            if (!isEmptyList(list.apply(pd))) {
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
