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
     * @throws IllegalStateException if metadata, tenant or name is missing (validate first)
     */
    public GrantKey grantKey() {
        return optionalKey().orElseThrow(() -> new IllegalStateException("grant has no metadata.tenant and metadata.name"));
    }

    /** The Kafka key {@code <tenant>/<grant>}; see {@link #grantKey()}. */
    public String key() {
        return grantKey().format();
    }

    /** The typed key, or empty if metadata, tenant or name is missing. */
    public Optional<GrantKey> optionalKey() {
        if (metadata == null || metadata.tenant() == null || metadata.name() == null) {
            return Optional.empty();
        }
        return Optional.of(new GrantKey(metadata.tenant(), metadata.name()));
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
