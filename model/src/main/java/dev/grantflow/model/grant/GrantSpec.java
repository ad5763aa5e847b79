package dev.grantflow.model.grant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * What a grant materializes.
 *
 * @param secret     the Secret created in the tenant namespace, and where its data comes from
 * @param podDefault the PodDefault that makes pods mount it
 * @param expiresAt  when set, the grant is revoked automatically at that instant; written as {@code null} when absent
 */
@JsonPropertyOrder({"secret", "podDefault", "expiresAt"})
public record GrantSpec(GrantSecret secret, GrantPodDefault podDefault,
                        @JsonInclude(JsonInclude.Include.ALWAYS) Instant expiresAt) {
}
