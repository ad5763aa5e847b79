package dev.grantflow.model.grant;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * Identity and version of a grant.
 *
 * @param tenant     the tenant namespace (DNS-1123 label)
 * @param name       the grant name (DNS-1123 subdomain of at most 63 characters, because it is also a label value)
 * @param generation increases per key, starting at 1; an older generation than the one applied is ignored
 * @param issuedAt   when the administrator issued this generation (required)
 * @param issuer     who issued it, e.g. an e-mail address; optional, informational
 */
@JsonPropertyOrder({"tenant", "name", "generation", "issuedAt", "issuer"})
public record GrantMetadata(String tenant, String name, long generation, Instant issuedAt, String issuer) {
}
