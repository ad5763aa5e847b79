package dev.grantflow.model.grant;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Exposes one secret key as an environment variable (a {@code secretKeyRef} in the PodDefault).
 *
 * @param name the environment variable name
 * @param key  the secret key
 */
@JsonPropertyOrder({"name", "key"})
public record SecretEnvVar(String name, String key) {
}
