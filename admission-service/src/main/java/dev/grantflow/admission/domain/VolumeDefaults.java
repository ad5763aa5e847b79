package dev.grantflow.admission.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * D4: the API-server defaults (Kubernetes {@code pkg/apis/core/v1/defaults.go}) that a pod's volumes carry when
 * they reach the webhook, filled into a copy of a volume so that a PodDefault volume written without them
 * compares equal to the defaulted pod volume. Only used for comparing; what gets injected is the PodDefault's
 * volume as written (the API server defaults it afterwards).
 *
 * <p>Filled (only where absent):
 * <ul>
 *   <li>a volume without any source: {@code emptyDir: {}}</li>
 *   <li>{@code secret}, {@code configMap}, {@code downwardAPI}, {@code projected}: {@code defaultMode: 420} (0644)</li>
 *   <li>every downward-API {@code fieldRef} (plain and projected): {@code apiVersion: v1}</li>
 *   <li>projected {@code serviceAccountToken}: {@code expirationSeconds: 3600}</li>
 *   <li>{@code iscsi.iscsiInterface: default}; {@code rbd}: {@code pool: rbd}, {@code user: admin},
 *       {@code keyring: /etc/ceph/keyring}; {@code azureDisk}: {@code cachingMode: ReadWrite},
 *       {@code fsType: ext4}, {@code kind: Shared}; {@code scaleIO}: {@code storageMode: ThinProvisioned},
 *       {@code fsType: xfs}</li>
 * </ul>
 * {@code hostPath.type: ""} and {@code readOnly: false} defaults need no filling: {@link Canonical} treats empty
 * strings and {@code false} as absent.
 */
final class VolumeDefaults {

    static final int DEFAULT_MODE = 420;
    static final long TOKEN_EXPIRATION_SECONDS = 3600;

    private static final List<String> MODE_SOURCES = List.of("secret", "configMap", "downwardAPI", "projected");

    private VolumeDefaults() {
    }

    /** A defaulted copy of the volume; the argument is not modified. */
    static JsonNode fill(JsonNode volume) {
        if (!(volume instanceof ObjectNode original)) {
            return volume;
        }
        ObjectNode v = original.deepCopy();
        boolean hasSource = false;
        var names = v.fieldNames();
        while (names.hasNext()) {
            String f = names.next();
            if (!"name".equals(f) && !v.get(f).isNull()) {
                hasSource = true;
                break;
            }
        }
        if (!hasSource) {
            v.putObject("emptyDir");
            return v;
        }
        for (String source : MODE_SOURCES) {
            if (v.get(source) instanceof ObjectNode s) {
                putIfAbsent(s, "defaultMode", DEFAULT_MODE);
            }
        }
        if (v.get("downwardAPI") instanceof ObjectNode d) {
            fieldRefs(d);
        }
        if (v.get("projected") instanceof ObjectNode p && p.get("sources") != null) {
            for (JsonNode source : p.get("sources")) {
                if (source.get("downwardAPI") instanceof ObjectNode d) {
                    fieldRefs(d);
                }
                if (source.get("serviceAccountToken") instanceof ObjectNode t && isAbsent(t.get("expirationSeconds"))) {
                    t.put("expirationSeconds", TOKEN_EXPIRATION_SECONDS);
                }
            }
        }
        if (v.get("iscsi") instanceof ObjectNode s) {
            putIfAbsent(s, "iscsiInterface", "default");
        }
        if (v.get("rbd") instanceof ObjectNode s) {
            putIfAbsent(s, "pool", "rbd");
            putIfAbsent(s, "user", "admin");
            putIfAbsent(s, "keyring", "/etc/ceph/keyring");
        }
        if (v.get("azureDisk") instanceof ObjectNode s) {
            putIfAbsent(s, "cachingMode", "ReadWrite");
            putIfAbsent(s, "fsType", "ext4");
            putIfAbsent(s, "kind", "Shared");
        }
        if (v.get("scaleIO") instanceof ObjectNode s) {
            putIfAbsent(s, "storageMode", "ThinProvisioned");
            putIfAbsent(s, "fsType", "xfs");
        }
        return v;
    }

    private static void fieldRefs(ObjectNode downwardApi) {
        JsonNode items = downwardApi.get("items");
        if (items == null) {
            return;
        }
        for (JsonNode item : items) {
            if (item.get("fieldRef") instanceof ObjectNode ref) {
                putIfAbsent(ref, "apiVersion", "v1");
            }
        }
    }

    private static boolean isAbsent(JsonNode n) {
        return n == null || n.isNull() || (n.isTextual() && n.textValue().isEmpty());
    }

    private static void putIfAbsent(ObjectNode o, String field, int value) {
        if (isAbsent(o.get(field))) {
            o.put(field, value);
        }
    }

    private static void putIfAbsent(ObjectNode o, String field, String value) {
        if (isAbsent(o.get(field))) {
            o.put(field, value);
        }
    }
}
