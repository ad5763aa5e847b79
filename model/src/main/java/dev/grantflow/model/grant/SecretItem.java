package dev.grantflow.model.grant;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Projects one secret key to a file below the mount path, like Kubernetes' {@code KeyToPath}. Used e.g. to mount
 * {@code .dockerconfigjson} as {@code config.json}.
 *
 * @param key  the secret key
 * @param path the file path relative to the mount path, without '..'
 */
@JsonPropertyOrder({"key", "path"})
public record SecretItem(String key, String path) {
}
