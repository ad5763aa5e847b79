package dev.grantflow.model.grant;

import java.util.Optional;

/**
 * Why a grant is in its phase. {@link #value()} is the string in {@link GrantStatus#reason()}, in DLQ headers and in
 * logs; each reason belongs to exactly one {@link #phase()}.
 */
public enum StatusReason {
    /** Pending: the tenant namespace does not exist (yet), or is gone. */
    TENANT_ABSENT("TenantAbsent", GrantPhase.PENDING),
    /**
     * Pending: copies exist whose deletion no record asked for (no grant for the key, or the tenant is absent), and
     * the deletion is held back: the deletion budget is spent, or the copies were made from another grants topic.
     */
    DELETION_HELD_BACK("DeletionHeldBack", GrantPhase.PENDING),
    /**
     * Pending: the tenant namespace is being deleted, and the API server refuses to create anything in it. Not
     * retried: the tenant-gone event follows.
     */
    TENANT_TERMINATING("TenantTerminating", GrantPhase.PENDING),
    /**
     * Pending: the tenants topic announces the tenant, but grant-service's own Namespace informer does not confirm it:
     * the namespace does not exist, is terminating, or lacks the tenant labels. Nothing is written; copies left there
     * are collected like those of an absent tenant. The message names the namespace and what is missing.
     */
    TENANT_UNCONFIRMED("TenantUnconfirmed", GrantPhase.PENDING),
    /** Applied: Secret and PodDefault exist and match. */
    APPLIED("Applied", GrantPhase.APPLIED),
    /** Revoked by a signed revocation (or, where signatures are optional, a tombstone). */
    REVOKED("Revoked", GrantPhase.REVOKED),
    /** Revoked because {@code expiresAt} has passed. */
    EXPIRED("Expired", GrantPhase.REVOKED),
    /** Rejected: the grant failed {@link GrantValidationPolicy}; the message lists the violations. */
    INVALID_GRANT("InvalidGrant", GrantPhase.REJECTED),
    /** Rejected: the record value is not a readable grant (it also goes to the DLQ). */
    UNPARSEABLE("Unparseable", GrantPhase.REJECTED),
    /**
     * Rejected: the record is bound to another key: its record key is not {@code <metadata.tenant>/<metadata.name>},
     * or a sealed value is bound (in its protected header) to another tenant, grant or secret key.
     */
    KEY_MISMATCH("KeyMismatch", GrantPhase.REJECTED),
    /** Rejected: the generation is older than the one already applied (no rollback by replay). */
    STALE_GENERATION("StaleGeneration", GrantPhase.REJECTED),
    /** Rejected: signatures are required and the record has none. */
    SIGNATURE_MISSING("SignatureMissing", GrantPhase.REJECTED),
    /**
     * Rejected: the signature is malformed, uses an algorithm not allowed, or does not verify over the record's bytes.
     */
    SIGNATURE_INVALID("SignatureInvalid", GrantPhase.REJECTED),
    /** Rejected: the signature names no key, or a key that is not a trusted administrator key. */
    SIGNER_UNKNOWN("SignerUnknown", GrantPhase.REJECTED),
    /** Rejected: the signing key is trusted, but not for this tenant. */
    SIGNER_OUT_OF_SCOPE("SignerOutOfScope", GrantPhase.REJECTED),
    /**
     * Rejected: a sealed value cannot be opened: not a JWE of the required algorithms, sealed to a key this service
     * does not hold, or tampered.
     */
    SEALED_DATA_INVALID("SealedDataInvalid", GrantPhase.REJECTED),
    /** Rejected: the Kubernetes API refused the object as invalid (400, 422); not retried until something changes. */
    KUBERNETES_INVALID("KubernetesInvalid", GrantPhase.REJECTED),
    /**
     * Rejected: the tenant is a protected namespace (Kubernetes' own, grant-service's own, the source namespace, or a
     * configured one); nothing is written or deleted there, whatever a topic or a namespace label says.
     */
    PROTECTED_NAMESPACE("ProtectedNamespace", GrantPhase.REJECTED),
    /**
     * Revoked (a selector grant's copy in one tenant): the tenant namespace no longer matches the grant's tenant
     * selector; the copies made there are deleted.
     */
    TENANT_NOT_SELECTED("TenantNotSelected", GrantPhase.REVOKED),
    /**
     * Rejected (a selector grant's copy in one tenant): another grant produces the same Secret or PodDefault name in
     * that tenant and takes precedence (a grant to the tenant over a selector grant; between selector grants, the
     * smaller name); nothing of this grant is kept there while it does.
     */
    OVERRIDDEN("Overridden", GrantPhase.REJECTED),
    /** Pending (a selector grant): some selected tenants are not applied yet; the counts say how many. */
    TENANTS_PENDING("TenantsPending", GrantPhase.PENDING),
    /** Failed (a selector grant): the copies in some selected tenants failed; the counts say how many. */
    TENANTS_FAILED("TenantsFailed", GrantPhase.FAILED),
    /** Failed: an object of the same name exists in the tenant namespace and is not managed by Grantflow. */
    CONFLICT("Conflict", GrantPhase.FAILED),
    /** Failed: the secretRef source Secret does not exist (or lacks keys the grant needs). */
    SOURCE_MISSING("SourceMissing", GrantPhase.FAILED),
    /**
     * Failed: the data to copy lacks a key its Secret type requires (e.g. {@code tls.key} for
     * {@code kubernetes.io/tls}); nothing is written until the grant or its source changes.
     */
    SECRET_TYPE_KEYS_MISSING("SecretTypeKeysMissing", GrantPhase.FAILED),
    /**
     * Failed: the Kubernetes API refused the write for good (403 Forbidden, other 4xx); not retried until the grant,
     * its source or its objects change (or the periodic resync).
     */
    KUBERNETES_REFUSED("KubernetesRefused", GrantPhase.FAILED),
    /** Failed: the Kubernetes API failed or was unreachable (409, 429, 5xx, timeouts); retried with backoff. */
    KUBERNETES_ERROR("KubernetesError", GrantPhase.FAILED);

    private final String value;
    private final GrantPhase phase;

    StatusReason(String value, GrantPhase phase) {
        this.value = value;
        this.phase = phase;
    }

    /** The CamelCase string used on the wire. */
    public String value() {
        return value;
    }

    /** The phase a status with this reason has. */
    public GrantPhase phase() {
        return phase;
    }

    /** The reason with this wire string; empty for strings this version does not know. */
    public static Optional<StatusReason> fromValue(String value) {
        for (StatusReason reason : values()) {
            if (reason.value.equals(value)) {
                return Optional.of(reason);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
