package dev.grantflow.model.grant;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A signed revocation: the value of a record on {@code grantflow.grants.v1} under the grant's key that revokes every
 * generation of the grant up to and including {@code metadata.generation}. Unlike a tombstone it carries a generation
 * and a signature (header {@code grantflow-signature}), and it stays in the compacted topic as the key's latest word,
 * so a replayed older grant never comes back, also after a restart. See docs/adr/0011.
 *
 * <pre>{@code
 * {"apiVersion": "grantflow.dev/v1", "kind": "GrantRevocation",
 *  "metadata": {"tenant": "alice", "name": "test-secret", "generation": 2,
 *               "issuedAt": "2026-12-01T10:00:00Z", "issuer": "admin@example.com"}}
 * }</pre>
 *
 * @param apiVersion {@value Grant#API_VERSION}
 * @param kind       {@value #KIND}
 * @param metadata   the grant revoked and the generation up to which it is revoked
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata"})
public record GrantRevocation(String apiVersion, String kind, GrantMetadata metadata) {

    public static final String KIND = "GrantRevocation";

    public static GrantRevocation of(GrantMetadata metadata) {
        return new GrantRevocation(Grant.API_VERSION, KIND, metadata);
    }

    /** The generation, or 0 when metadata is missing. */
    public long generation() {
        return metadata == null ? 0 : metadata.generation();
    }
}
