package dev.grantflow.model.grant;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.time.Instant;
import java.util.Optional;

/**
 * Identity and version of a grant.
 *
 * <p>A grant names either one {@code tenant} (its key is {@code <tenant>/<name>}) or a {@code tenantSelector} over
 * the tenant namespaces' labels (a <em>selector grant</em>, key {@code &#42;/<name>}, see {@link GrantKey}); never both.
 *
 * @param tenant         the tenant namespace (DNS-1123 label), or null for a selector grant
 * @param tenantSelector a Kubernetes label selector (matchLabels, matchExpressions with In, NotIn, Exists,
 *                       DoesNotExist) over the labels of tenant namespaces, or null for a grant to one tenant
 * @param name           the grant name (DNS-1123 subdomain of at most 63 characters, because it is also a label value)
 * @param generation     increases per key, starting at 1; an older generation than the one applied is ignored
 * @param issuedAt       when the administrator issued this generation (required)
 * @param issuer         who issued it, e.g. an e-mail address; optional, informational
 */
@JsonPropertyOrder({"tenant", "tenantSelector", "name", "generation", "issuedAt", "issuer"})
public record GrantMetadata(String tenant, LabelSelector tenantSelector, String name, long generation,
                            Instant issuedAt, String issuer) {

    /** Metadata of a grant to one tenant. */
    public GrantMetadata(String tenant, String name, long generation, Instant issuedAt, String issuer) {
        this(tenant, null, name, generation, issuedAt, issuer);
    }

    /**
     * Metadata for the record under {@code key}: one tenant's, or, for a selector key, a selector grant's with
     * {@code selector} (an empty selector when null: what a revocation of a selector grant carries, as only its key
     * and generation count).
     */
    public static GrantMetadata forKey(GrantKey key, LabelSelector selector, long generation, Instant issuedAt,
            String issuer) {
        if (key.isSelector()) {
            return new GrantMetadata(null, selector == null ? new LabelSelector() : selector, key.name(), generation,
                    issuedAt, issuer);
        }
        return new GrantMetadata(key.tenant(), key.name(), generation, issuedAt, issuer);
    }

    /**
     * The key these metadata name: {@code <tenant>/<name>}, or {@code &#42;/<name>} for a selector grant (a tenant
     * selector and no tenant); empty when the name is missing, or neither or both of tenant and selector are given.
     */
    public Optional<GrantKey> key() {
        if (name == null || (tenant == null) == (tenantSelector == null)) {
            return Optional.empty();
        }
        return Optional.of(tenant != null ? new GrantKey(tenant, name) : GrantKey.selector(name));
    }

    /** These metadata instantiated in {@code namespace}: a selector grant's copy there (the selector is kept). */
    public GrantMetadata in(String namespace) {
        return new GrantMetadata(namespace, tenantSelector, name, generation, issuedAt, issuer);
    }
}
