package dev.grantflow.grant.domain;

import dev.grantflow.model.grant.StatusReason;
import dev.grantflow.trust.Signatures;
import dev.grantflow.trust.TrustProblem;

/**
 * Decides whether a grants record is authentic: signed (header {@code grantflow-signature}, a detached JWS over the
 * exact value bytes) by a trusted administrator key that covers the tenant. Pure (verification is computation only).
 *
 * <p>With signatures required (the production setting) every grant and revocation must be signed. With signatures
 * optional (development, tests) an unsigned record is accepted, but a signature that is present must still verify.
 */
public final class SignaturePolicy {

    /** The outcome for one record. */
    public sealed interface Authenticity {
    }

    /**
     * Signed by {@code kid}; {@code receipt} is the service's receipt for the record (null without
     * {@link VerificationReceipts}).
     */
    public record Signed(String kid, VerificationReceipts.Receipt receipt) implements Authenticity {
    }

    /** Unsigned, and signatures are optional. */
    public record Unsigned() implements Authenticity {
    }

    /** Not authentic; {@code kid} is the key the signature names, if any. */
    public record Refused(StatusReason reason, String kid, String message) implements Authenticity {
    }

    private final boolean required;
    private final Signatures signatures;
    private final VerificationReceipts receipts;

    /**
     * @param required   whether every record must be signed
     * @param signatures the trusted administrator keys (may hold none; then only unsigned records in optional mode
     *                   are accepted)
     */
    public SignaturePolicy(boolean required, Signatures signatures) {
        this(required, signatures, null);
    }

    /**
     * @param receipts issues a receipt for each record verified and accepts one instead of verifying again; null:
     *                 every signature is verified
     */
    public SignaturePolicy(boolean required, Signatures signatures, VerificationReceipts receipts) {
        this.required = required;
        this.signatures = signatures;
        this.receipts = receipts;
    }

    public boolean required() {
        return required;
    }

    /** Checks {@code signature} (the header's value, or null) over {@code value} for a record of {@code tenant}. */
    public Authenticity check(byte[] value, String signature, String tenant) {
        return check(value, signature, tenant, null);
    }

    /**
     * As {@link #check(byte[], String, String)}, but a {@code known} receipt that matches this very record under the
     * keys trusted now stands for the verification (an HMAC instead of a signature check).
     */
    public Authenticity check(byte[] value, String signature, String tenant, VerificationReceipts.Receipt known) {
        if (signature == null && !required) {
            return new Unsigned();
        }
        if (receipts != null && receipts.matches(known, value, signature, tenant)) {
            return new Signed(known.kid(), known);
        }
        Signatures.Verdict verdict = signatures.verify(value, signature, tenant);
        if (verdict instanceof Signatures.Verified verified) {
            return new Signed(verified.kid(), receipts == null ? null
                    : receipts.issue(value, signature, tenant, verified.kid()));
        }
        Signatures.Refused refused = (Signatures.Refused) verdict;
        return new Refused(reason(refused.problem()), refused.kid(), refused.message());
    }

    static StatusReason reason(TrustProblem problem) {
        return switch (problem) {
            case SIGNATURE_MISSING -> StatusReason.SIGNATURE_MISSING;
            case SIGNER_UNKNOWN -> StatusReason.SIGNER_UNKNOWN;
            case SIGNER_OUT_OF_SCOPE -> StatusReason.SIGNER_OUT_OF_SCOPE;
            default -> StatusReason.SIGNATURE_INVALID;
        };
    }
}
