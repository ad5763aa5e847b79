package dev.grantflow.grantctl.domain;

/** Whether an audit entry's signature re-verified against the administrators' public keys. */
public enum AuditVerdict {
    /** The signature verifies over the recorded bytes with a trusted key that covers the tenant. */
    YES("yes"),
    /** It does not (tampered record or signature, unknown or out-of-scope signer, bad algorithm). */
    NO("NO"),
    /** Nothing to verify: the entry has no signature or no record (tombstone, record too large). */
    NONE("-"),
    /** Not checked: no administrator keys were given (--admin-jwks). */
    UNCHECKED("?");

    private final String text;

    AuditVerdict(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
