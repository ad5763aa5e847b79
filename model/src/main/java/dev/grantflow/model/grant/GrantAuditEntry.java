package dev.grantflow.model.grant;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * The value of a record on {@code grantflow.audit.v1} (key {@code <tenant>/<grant>}): one decision about one record of
 * the grants topic, written once (by the consumer group member that read it; at least once across rebalances, so
 * readers de-duplicate by {@code partition}/{@code offset}).
 *
 * <p>{@code record} is the grants record's value as base64, so that anyone holding the administrators' public keys
 * can re-verify {@code signature} over it ({@code grantctl audit}). It never holds a plain secret value: grants carry
 * only {@code secretRef}s and sealed (JWE) values. {@code digest} is a keyed hash of the same bytes (HMAC with the
 * service's key): with it, grant-service can show that an entry belongs to a record without anyone being able to test
 * guesses against it. Records larger than {@value #RECORD_MAX} bytes are not copied ({@code record} null).
 *
 * @param key        {@code <tenant>/<grant>}, or the raw record key when it is not one
 * @param tenant     the tenant, when the key could be read
 * @param grant      the grant name, when the key could be read
 * @param generation the record's generation (0 for a tombstone or an unreadable record)
 * @param kind       Grant, GrantRevocation, Tombstone or Unreadable
 * @param decision   what was decided
 * @param reason     a {@link StatusReason} value, or null for accepted records
 * @param message    human text, never a value
 * @param signer     the {@code kid} of the signature, when it names one
 * @param signature  the {@code grantflow-signature} header as received, or null
 * @param issuer     {@code metadata.issuer} as written by the administrator (informational; the signer is proof)
 * @param digest     keyed digest of the record value, or null for a tombstone
 * @param record     the record value as base64, or null (tombstone, or too large)
 * @param partition  partition of the grants record
 * @param offset     offset of the grants record
 * @param recordTime the grants record's timestamp
 * @param at         when the decision was made
 */
@JsonPropertyOrder({"key", "tenant", "grant", "generation", "kind", "decision", "reason", "message", "signer",
        "signature", "issuer", "digest", "record", "partition", "offset", "recordTime", "at"})
public record GrantAuditEntry(String key, String tenant, String grant, long generation, String kind,
        AuditDecision decision, String reason, String message, String signer, String signature, String issuer,
        String digest, String record, int partition, long offset, Instant recordTime, Instant at) {

    /** Largest record value copied into an entry. */
    public static final int RECORD_MAX = 256 * 1024;

    public static final String KIND_GRANT = "Grant";
    public static final String KIND_REVOCATION = GrantRevocation.KIND;
    public static final String KIND_TOMBSTONE = "Tombstone";
    public static final String KIND_UNREADABLE = "Unreadable";
}
