package dev.grantflow.grant.domain;

import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantPodDefault;
import dev.grantflow.model.grant.SecretEnvVar;
import dev.grantflow.model.grant.SecretItem;
import dev.grantflow.model.grant.SecretType;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.poddefault.PodDefault;
import dev.grantflow.model.poddefault.PodDefaultSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Secret and PodDefault a grant asks for, built from the grant and its source Secret. Pure: no client, no I/O.
 *
 * <p>The Secret copies the source's data (and {@code stringData}, which a stand-in API server may keep as written)
 * and its type unless the grant names one. The PodDefault selects pods labelled {@code <selectorLabel>: "true"}, mounts
 * the Secret read-only at the mount path (projected through {@code items} when given; a Docker config Secret without
 * items is projected as {@code config.json}) and maps secret keys to environment variables.
 */
public final class DesiredObjectsMapper {

    /** The secret's data (key -> base64) as the API server would hold it. */
    public static Map<String, String> sourceData(Secret source) {
        Map<String, String> data = new TreeMap<>();
        if (source.getData() != null) {
            data.putAll(source.getData());
        }
        if (source.getStringData() != null) {
            source.getStringData().forEach((key, value) -> data.put(key,
                    Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
        }
        return data;
    }

    public static String secretType(Grant grant, Secret source) {
        String type = grant.spec().secret().type();
        if (type != null && !type.isBlank()) {
            return type;
        }
        return source.getType() == null || source.getType().isBlank() ? SecretType.OPAQUE.value() : source.getType();
    }

    public static Secret secret(Grant grant, Secret source, ContentHash hash) {
        String type = secretType(grant, source);
        Map<String, String> data = sourceData(source);
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("type", type);
        content.put("data", data);
        return new SecretBuilder()
                .withMetadata(metadata(grant, grant.spec().secret().name(), hash.of(content)))
                .withType(type)
                .withData(data)
                .build();
    }

    public static PodDefault podDefault(Grant grant, ContentHash hash) {
        GrantPodDefault spec = grant.spec().podDefault();
        String secretName = grant.spec().secret().name();
        String volumeName = volumeName(grant);

        PodDefaultSpec pd = new PodDefaultSpec();
        pd.setSelector(new LabelSelectorBuilder().addToMatchLabels(spec.selectorLabel(), "true").build());
        pd.setDesc(spec.desc() == null || spec.desc().isBlank() ? spec.name() : spec.desc());
        Volume volume = new VolumeBuilder().withName(volumeName).withNewSecret()
                .withSecretName(secretName)
                .withItems(items(grant))
                .endSecret().build();
        pd.setVolumes(List.of(volume));
        VolumeMount mount = new VolumeMountBuilder().withName(volumeName).withMountPath(spec.mountPath())
                .withReadOnly(true).build();
        pd.setVolumeMounts(List.of(mount));
        if (!spec.env().isEmpty()) {
            pd.setEnv(spec.env().stream().map(e -> env(e, secretName)).toList());
        }
        return new PodDefault(metadata(grant, spec.name(), hash.of(pd)), pd);
    }

    /** The keys of the source Secret that the grant references (items and env). */
    public static List<String> referencedKeys(Grant grant) {
        GrantPodDefault spec = grant.spec().podDefault();
        java.util.LinkedHashSet<String> keys = new java.util.LinkedHashSet<>();
        if (spec.items() != null) {
            spec.items().forEach(item -> keys.add(item.key()));
        }
        spec.env().forEach(env -> keys.add(env.key()));
        return List.copyOf(keys);
    }

    /**
     * {@code desired} as an update of {@code current}: {@code current}'s metadata (labels, annotations, finalizers and
     * owner references other controllers added, uid, resourceVersion) with Grantflow's labels and annotations set over
     * it, and {@code desired}'s content ({@code immutable} stays as it is: it cannot be unset). A PUT replaces the whole
     * object; this keeps what is not Grantflow's. Neither argument is changed.
     */
    @SuppressWarnings("unchecked")
    public static <T extends HasMetadata> T asUpdateOf(T desired, HasMetadata current) {
        T update = (T) Json.read(Json.write(desired), desired.getClass());
        ObjectMeta metadata = Json.read(Json.write(current.getMetadata()), ObjectMeta.class);
        Map<String, String> labels = new LinkedHashMap<>(Optional.ofNullable(metadata.getLabels()).orElse(Map.of()));
        // The desired owner replaces the found one (a grant taking over a selector grant's copy, ReconcilePolicy).
        labels.remove(ManagedLabels.GRANT);
        labels.remove(ManagedLabels.SELECTOR_GRANT);
        labels.putAll(desired.getMetadata().getLabels());
        Map<String, String> annotations = new LinkedHashMap<>(
                Optional.ofNullable(metadata.getAnnotations()).orElse(Map.of()));
        annotations.putAll(desired.getMetadata().getAnnotations());
        metadata.setLabels(labels);
        metadata.setAnnotations(annotations);
        update.setMetadata(metadata);
        if (update instanceof Secret secret && current instanceof Secret existing) {
            secret.setImmutable(existing.getImmutable()); // an immutable Secret stays so; its data is never updated
        }
        return update;
    }

    /**
     * The values an object carries that must never appear in a message: a Secret's data (as base64 and decoded) and
     * string data. Empty for other objects.
     */
    public static Set<String> secretValues(HasMetadata object) {
        Set<String> values = new HashSet<>();
        if (object instanceof Secret secret) {
            if (secret.getData() != null) {
                secret.getData().values().forEach(value -> {
                    values.add(value);
                    try {
                        values.add(new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8));
                    } catch (IllegalArgumentException e) {
                        // not base64: the value itself is in the set
                    }
                });
            }
            if (secret.getStringData() != null) {
                values.addAll(secret.getStringData().values());
            }
        }
        values.remove(null);
        return values;
    }

    /** A volume name is a DNS-1123 label; grant names are subdomains of at most 63 characters. */
    static String volumeName(Grant grant) {
        return grant.metadata().name().replace('.', '-');
    }

    private static List<KeyToPath> items(Grant grant) {
        List<SecretItem> items = grant.spec().podDefault().items();
        if (items == null && SecretType.DOCKER_CONFIG_JSON.value().equals(grant.spec().secret().type())) {
            items = List.of(new SecretItem(SecretType.DOCKER_CONFIG_JSON_KEY, "config.json"));
        }
        if (items == null) {
            return null; // every key of the Secret becomes a file named after the key
        }
        return items.stream().map(i -> new KeyToPath(i.key(), null, i.path())).toList();
    }

    private static EnvVar env(SecretEnvVar var, String secretName) {
        return new EnvVarBuilder().withName(var.name()).withNewValueFrom().withNewSecretKeyRef()
                .withName(secretName).withKey(var.key()).endSecretKeyRef().endValueFrom().build();
    }

    private static ObjectMeta metadata(Grant grant, String name, String hash) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(grant.metadata().tenant())
                .addToLabels(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE)
                .addToLabels(grant.selectsTenants() ? ManagedLabels.SELECTOR_GRANT : ManagedLabels.GRANT,
                        grant.metadata().name())
                .addToAnnotations(ManagedLabels.GENERATION, Long.toString(grant.generation()))
                .addToAnnotations(ManagedLabels.CONTENT_HASH, hash)
                .build();
    }

    private DesiredObjectsMapper() {
    }
}
