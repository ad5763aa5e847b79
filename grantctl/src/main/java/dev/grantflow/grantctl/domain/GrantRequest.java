package dev.grantflow.grantctl.domain;

import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.SecretEnvVar;
import dev.grantflow.model.grant.SecretItem;
import dev.grantflow.model.grant.SecretSource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.time.Instant;
import java.util.List;

/**
 * What {@code grantctl grant} was asked for, once its values are sealed: everything {@link GrantMapper} needs.
 *
 * @param key           tenant and grant name (also the Secret's and the PodDefault's name); {@code &#42;/<name>} for a
 *                      selector grant
 * @param tenantSelector a selector grant's tenant selector, else null
 * @param generation    the generation to post
 * @param issuedAt      now
 * @param issuer        {@code --issuer}, or null
 * @param secretType    the Kubernetes Secret type
 * @param source        a secretRef, or sealedData (JWE values only)
 * @param items         projected items, or null for every key as a file
 * @param mountPath     where pods mount the Secret
 * @param env           environment variables from secret keys
 * @param expiresAt     automatic revocation, or null
 * @param selectorLabel the pod label that selects the PodDefault
 * @param desc          the description shown in the Jupyter drop-down
 */
public record GrantRequest(GrantKey key, LabelSelector tenantSelector, long generation, Instant issuedAt, String issuer, String secretType,
        SecretSource source, List<SecretItem> items, String mountPath, List<SecretEnvVar> env, Instant expiresAt,
        String selectorLabel, String desc) {
}
