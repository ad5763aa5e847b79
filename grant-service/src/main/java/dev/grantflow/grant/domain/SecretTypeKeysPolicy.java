package dev.grantflow.grant.domain;

import dev.grantflow.model.grant.SecretType;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The data keys kube-apiserver requires of a Secret of a given type ({@code ValidateSecret}), checked before anything
 * is written so that a copy the API server would refuse is reported with the type and the missing keys:
 * {@code kubernetes.io/dockerconfigjson} needs {@code .dockerconfigjson}, {@code kubernetes.io/dockercfg}
 * {@code .dockercfg}, {@code kubernetes.io/tls} {@code tls.crt} and {@code tls.key}, {@code kubernetes.io/basic-auth}
 * one of {@code username} and {@code password}, {@code kubernetes.io/ssh-auth} {@code ssh-privatekey}. Other types
 * (Opaque, custom ones) need nothing.
 *
 * <p>The grantable types are {@link SecretType}'s; {@code kubernetes.io/dockercfg} is not grantable by name but a
 * source of that type is copied as it is. The API server also checks that the Docker configs are JSON; that is left
 * to it (its refusal is a {@code Rejected/KubernetesInvalid}), since it means reading values.
 */
public final class SecretTypeKeysPolicy {

    public static final String DOCKER_CFG = "kubernetes.io/dockercfg";
    public static final String DOCKER_CFG_KEY = ".dockercfg";

    private SecretTypeKeysPolicy() {
    }

    /** What the data lacks for its type, e.g. {@code needs key(s) [tls.key]}; empty when nothing is missing. */
    public static Optional<String> missing(String type, Collection<String> keys) {
        if (DOCKER_CFG.equals(type)) {
            return keys.contains(DOCKER_CFG_KEY) ? Optional.empty() : Optional.of("needs key(s) [" + DOCKER_CFG_KEY + "]");
        }
        Optional<SecretType> known = SecretType.fromValue(type);
        if (known.isEmpty()) {
            return Optional.empty();
        }
        List<String> missing = known.get().missingKeys(keys);
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(known.get().requiresAnyOf() ? "needs at least one of the keys " + missing
                : "needs key(s) " + missing);
    }
}
