package dev.grantflow.grant.domain;

import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantRevocation;
import dev.grantflow.model.grant.GrantValidation;
import dev.grantflow.model.grant.GrantValidationPolicy;
import dev.grantflow.model.grant.StatusReason;
import dev.grantflow.model.grant.Violation;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.json.Parsed;
import java.util.List;

/**
 * Maps a record of the grants topic (key, value bytes, signature header) to what it means. Pure.
 *
 * <p>Order of checks: the key must be {@code <tenant>/<grant>}; a tombstone revokes only where signatures are optional;
 * the value must parse; the signature must verify over the exact value bytes for the record's tenant
 * ({@link SignaturePolicy}); the content must belong to the record key; then a grant is validated
 * ({@link GrantValidationPolicy}), a revocation's metadata too. A record that fails authentication (signature, or
 * content under another key) is {@link Refused}: it never replaces what the key holds.
 */
public final class GrantRecordMapper {

    /** The meaning of one grants record. */
    public sealed interface Decoded {
    }

    /**
     * A signed (or, where signatures are optional, unsigned) grant or revocation, accepted or rejected by validation;
     * {@code receipt} is the service's receipt for its signature, or null.
     */
    public record Entry(GrantEntry entry, String signer, VerificationReceipts.Receipt receipt) implements Decoded {
    }

    /** A tombstone where signatures are optional: revoke. */
    public record Revoke(GrantKey key) implements Decoded {
    }

    /** A tombstone where signatures are required: it revokes nothing (revocations are signed records). */
    public record IgnoredTombstone(GrantKey key) implements Decoded {
    }

    /** A record that failed authentication; reported while the key holds nothing authentic, never applied. */
    public record Refused(GrantEntry.Rejected entry, String signer) implements Decoded {
    }

    /**
     * A record that cannot be read at all: it goes to the dead-letter topic. {@code key} is null when the record
     * key itself is unusable. {@code reason} and {@code detail} never quote the value.
     */
    public record Unreadable(GrantKey key, String reason, String detail) implements Decoded {
        public String message() {
            return reason + ": " + detail;
        }
    }

    private final SignaturePolicy signatures;

    public GrantRecordMapper(SignaturePolicy signatures) {
        this.signatures = signatures;
    }

    public Decoded decode(String recordKey, byte[] value, String signature) {
        return decode(recordKey, value, signature, null);
    }

    /**
     * As {@link #decode(String, byte[], String)}; {@code known}, the receipt last held for the key, spares the
     * signature check when it was issued for this very record ({@link SignaturePolicy}).
     */
    public Decoded decode(String recordKey, byte[] value, String signature, VerificationReceipts.Receipt known) {
        // Every instance holds every grant: its strings are shared with the other grants' (InternedStrings).
        GrantKey key = InternedStrings.of(GrantKey.parse(recordKey).orElse(null));
        if (key == null) {
            return new Unreadable(null, "InvalidKey", "the record key must be <tenant>/<grant>");
        }
        if (value == null) {
            return signatures.required() ? new IgnoredTombstone(key) : new Revoke(key);
        }
        // Its strings shared with the other grants' as it is read (Json.parseShared).
        Parsed<Grant> parsed = Json.parseShared(value, Grant.class);
        if (parsed instanceof Parsed.Failed<Grant> failed) {
            return new Unreadable(key, failed.reason().value(), failed.failure().detail());
        }
        Grant grant = ((Parsed.Ok<Grant>) parsed).value();
        long generation = grant.generation();
        String tenant = grant.metadata() != null && grant.metadata().tenant() != null ? grant.metadata().tenant()
                : key.tenant();
        SignaturePolicy.Authenticity authenticity = signatures.check(value, signature, tenant, known);
        if (authenticity instanceof SignaturePolicy.Refused refused) {
            return new Refused(new GrantEntry.Rejected(key, generation, refused.reason(), refused.message()),
                    refused.kid());
        }
        String signer = authenticity instanceof SignaturePolicy.Signed signed ? signed.kid() : null;
        VerificationReceipts.Receipt receipt = authenticity instanceof SignaturePolicy.Signed signed
                ? signed.receipt() : null;
        if (grant.optionalKey().isPresent() && !grant.optionalKey().get().equals(key)) {
            return new Refused(new GrantEntry.Rejected(key, generation, StatusReason.KEY_MISMATCH, "record key '"
                    + key.format() + "' does not match metadata tenant/name '" + grant.optionalKey().get().format()
                    + "'; the record is ignored"), signer);
        }
        if (GrantRevocation.KIND.equals(grant.kind())) {
            return revocation(key, value, signer, receipt);
        }
        GrantValidation validation = GrantValidationPolicy.validate(grant, key);
        if (validation instanceof GrantValidation.Invalid invalid) {
            return new Entry(new GrantEntry.Rejected(key, generation, StatusReason.INVALID_GRANT, invalid.message()),
                    signer, receipt);
        }
        return new Entry(new GrantEntry.Accepted(key, grant), signer, receipt);
    }

    private static Decoded revocation(GrantKey key, byte[] value, String signer, VerificationReceipts.Receipt receipt) {
        Parsed<GrantRevocation> parsed = Json.parse(value, GrantRevocation.class);
        if (parsed instanceof Parsed.Failed<GrantRevocation> failed) {
            return new Unreadable(key, failed.reason().value(), failed.failure().detail());
        }
        GrantRevocation revocation = ((Parsed.Ok<GrantRevocation>) parsed).value();
        List<Violation> violations = GrantValidationPolicy.revocationViolations(revocation, key);
        if (!violations.isEmpty()) {
            return new Entry(new GrantEntry.Rejected(key, revocation.generation(), StatusReason.INVALID_GRANT,
                    new GrantValidation.Invalid(violations).message()), signer, receipt);
        }
        return new Entry(new GrantEntry.Revoked(key, revocation.generation()), signer, receipt);
    }
}
