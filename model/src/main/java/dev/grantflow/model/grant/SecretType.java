package dev.grantflow.model.grant;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The Kubernetes Secret types a grant may create, with the data keys Kubernetes requires for each (as the API
 * server's Secret validation does). Service-account-token and bootstrap-token Secrets are deliberately not grantable.
 */
public enum SecretType {
    /** Arbitrary data; no required keys. */
    OPAQUE("Opaque", List.of(), false),
    /** Docker credentials; the key {@value #DOCKER_CONFIG_JSON_KEY} holds a {@code ~/.docker/config.json}. */
    DOCKER_CONFIG_JSON("kubernetes.io/dockerconfigjson", List.of(SecretType.DOCKER_CONFIG_JSON_KEY), false),
    /** Basic authentication: {@code username} or {@code password} (at least one). */
    BASIC_AUTH("kubernetes.io/basic-auth", List.of("username", "password"), true),
    /** SSH authentication: {@code ssh-privatekey}. */
    SSH_AUTH("kubernetes.io/ssh-auth", List.of("ssh-privatekey"), false),
    /** TLS: {@code tls.crt} and {@code tls.key}. */
    TLS("kubernetes.io/tls", List.of("tls.crt", "tls.key"), false);

    /** The data key of a {@code kubernetes.io/dockerconfigjson} Secret. */
    public static final String DOCKER_CONFIG_JSON_KEY = ".dockerconfigjson";

    private final String value;
    private final List<String> requiredKeys;
    private final boolean anyOf;

    SecretType(String value, List<String> requiredKeys, boolean anyOf) {
        this.value = value;
        this.requiredKeys = requiredKeys;
        this.anyOf = anyOf;
    }

    /** The Kubernetes {@code type} string, e.g. {@code kubernetes.io/dockerconfigjson}. */
    public String value() {
        return value;
    }

    /** The keys Kubernetes requires: all of them, or at least one if {@link #requiresAnyOf()}. */
    public List<String> requiredKeys() {
        return requiredKeys;
    }

    /** Whether one of {@link #requiredKeys()} suffices (basic-auth). */
    public boolean requiresAnyOf() {
        return anyOf;
    }

    /**
     * The required keys absent from {@code keys}: empty when the data satisfies Kubernetes. For an any-of type, all
     * candidates are reported when none is present. Reusable for a secretRef source once its data is known.
     */
    public List<String> missingKeys(Collection<String> keys) {
        List<String> missing = new ArrayList<>();
        for (String key : requiredKeys) {
            if (!keys.contains(key)) {
                missing.add(key);
            }
        }
        if (anyOf && missing.size() < requiredKeys.size()) {
            return List.of();
        }
        return List.copyOf(missing);
    }

    /** The supported type with this Kubernetes {@code type} string (exact match). */
    public static Optional<SecretType> fromValue(String value) {
        for (SecretType type : values()) {
            if (type.value.equals(value)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** The supported type strings, for messages. */
    public static List<String> supportedValues() {
        List<String> all = new ArrayList<>();
        for (SecretType type : values()) {
            all.add(type.value);
        }
        return List.copyOf(all);
    }

    @Override
    public String toString() {
        return value;
    }
}
