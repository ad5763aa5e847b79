package dev.grantflow.model.grant;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Optional;

/**
 * A grant: "make credential X available to tenant T" (docs/design.md, "Grant (v1)"); the value of a record on
 * {@code grantflow.grants.v1}, keyed by {@link #key()}. A tombstone revokes.
 *
 * <p>Instances read from Kafka are untrusted: any component may be {@code null} or invalid until
 * {@link GrantValidationPolicy} has accepted the grant.
 *
 * @param apiVersion {@value #API_VERSION}
 * @param kind       {@value #KIND}
 * @param metadata   who, which, which version
 * @param spec       the secret and how pods see it
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec"})
public record Grant(String apiVersion, String kind, GrantMetadata metadata, GrantSpec spec) {

    public static final String API_VERSION = "grantflow.dev/v1";
    public static final String KIND = "Grant";

    /** A grant of the current apiVersion and kind. */
    public static Grant of(GrantMetadata metadata, GrantSpec spec) {
        return new Grant(API_VERSION, KIND, metadata, spec);
    }

    /**
     * The typed Kafka key.
     *
     * @throws IllegalStateException if metadata, tenant (or tenant selector) or name is missing (validate first)
     */
    public GrantKey grantKey() {
        return optionalKey().orElseThrow(() -> new IllegalStateException(
                "grant has no metadata.name and exactly one of metadata.tenant and metadata.tenantSelector"));
    }

    /** The Kafka key {@code <tenant>/<grant>}; see {@link #grantKey()}. */
    public String key() {
        return grantKey().format();
    }

    /**
     * The typed key ({@code &#42;/<name>} for a selector grant), or empty if metadata or name is missing, or neither or
     * both of tenant and tenant selector are given.
     */
    public Optional<GrantKey> optionalKey() {
        return metadata == null ? Optional.empty() : metadata.key();
    }

    /** This grant names a tenant selector instead of one tenant. */
    public boolean selectsTenants() {
        return metadata != null && metadata.tenantSelector() != null;
    }

    /**
     * This selector grant as applied in {@code namespace}: the same grant with the tenant set (its objects go there);
     * the selector is kept, so the objects are labelled as a selector grant's copy.
     */
    public Grant in(String namespace) {
        return new Grant(apiVersion, kind, metadata.in(namespace), spec);
    }

    /** The generation, or 0 when metadata is missing. */
    public long generation() {
        return metadata == null ? 0 : metadata.generation();
    }

    /** Whether the grant has an expiry and {@code now} is at or past it. */
    public boolean isExpiredAt(Instant now) {
        return spec != null && spec.expiresAt() != null && !now.isBefore(spec.expiresAt());
    }
}
