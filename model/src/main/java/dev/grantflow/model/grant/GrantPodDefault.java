package dev.grantflow.model.grant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The PodDefault a grant creates in the tenant namespace: it mounts the granted Secret (and maps keys to environment
 * variables) in pods labelled {@code <selectorLabel>: "true"}, the form the Jupyter "Configurations" drop-down sets.
 *
 * @param name          PodDefault name (DNS-1123 subdomain)
 * @param desc          description shown in the drop-down (at most 1024 characters); the name is shown when absent
 * @param selectorLabel label key (qualified name); becomes {@code selector.matchLabels: {<selectorLabel>: "true"}}
 * @param mountPath     absolute directory the Secret is mounted at, outside system paths (see {@link MountPathPolicy})
 * @param items         {@code null}: every secret key becomes a file named after the key; otherwise only these keys,
 *                      at these relative paths (Kubernetes {@code KeyToPath}). Written as {@code null} when absent.
 * @param env           secret keys exposed as environment variables; never {@code null} (empty when absent)
 */
@JsonPropertyOrder({"name", "desc", "selectorLabel", "mountPath", "items", "env"})
public record GrantPodDefault(String name, String desc, String selectorLabel, String mountPath,
                              @JsonInclude(JsonInclude.Include.ALWAYS) List<SecretItem> items,
                              List<SecretEnvVar> env) {

    public GrantPodDefault {
        // Copies that tolerate null elements, so that validation can report them instead of the parser.
        items = items == null ? null : Collections.unmodifiableList(new ArrayList<>(items));
        env = env == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(env));
    }
}
