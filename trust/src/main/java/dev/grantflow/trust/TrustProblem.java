package dev.grantflow.trust;

/**
 * Why a signature or a sealed value was refused. Messages built with these never quote a value: they name keys,
 * key ids, tenants and grants only.
 */
public enum TrustProblem {
    /** No {@code grantflow-signature} header, and signatures are required. */
    SIGNATURE_MISSING,
    /** The header is not a detached JWS compact serialization ({@code header..signature}). */
    SIGNATURE_MALFORMED,
    /** The JWS names no {@code kid}, or one no trusted administrator key has. */
    SIGNER_UNKNOWN,
    /** The JWS uses an algorithm that is not allowed (none, HMAC, or one that does not fit the key). */
    ALGORITHM_NOT_ALLOWED,
    /** The signature does not verify over the record's bytes. */
    SIGNATURE_INVALID,
    /** The signing key is trusted, but not for this tenant. */
    SIGNER_OUT_OF_SCOPE,
    /** A sealed value is not a JWE compact serialization with the required algorithms and binding headers. */
    SEAL_MALFORMED,
    /** A sealed value was encrypted to a sealing key ({@code kid}) this service does not hold. */
    SEAL_KEY_UNKNOWN,
    /** A sealed value is bound (protected header) to another tenant, grant or secret key. */
    SEAL_BINDING_MISMATCH,
    /** A sealed value does not decrypt: tampered, truncated or encrypted to another key of the same id. */
    SEAL_UNREADABLE
}
