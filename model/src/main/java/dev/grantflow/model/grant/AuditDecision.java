package dev.grantflow.model.grant;

/** What grant-service decided about one record of the grants topic (the audit history's verb). */
public enum AuditDecision {
    /** A grant that passed signature and validation checks (it may still wait for its tenant or fail to apply). */
    Accepted,
    /** A grant or revocation refused: unsigned, badly signed, out of scope, invalid or unreadable. */
    Rejected,
    /** A signed revocation (or, where signatures are optional, a tombstone) accepted. */
    Revoked,
    /** A bare tombstone where signatures are required: it revokes nothing. */
    Ignored
}
