package dev.grantflow.grant.domain;

import dev.grantflow.model.grant.AuditDecision;
import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantAuditEntry;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantRevocation;
import dev.grantflow.model.grant.StatusReason;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.json.Parsed;
import dev.grantflow.trust.KeyedDigest;
import java.time.Instant;
import java.util.Base64;

/**
 * The audit entry of one grants record: who signed what, and what grant-service decided. Pure. Never holds a plain
 * value: a grant record carries only {@code secretRef}s and sealed values, and the record is copied as received so
 * that its signature can be verified again ({@code grantctl audit}).
 */
public final class AuditMapper {

    /** Where the record was read. */
    public record Origin(String recordKey, byte[] value, String signature, int partition, long offset,
            Instant recordTime) {
    }

    private final KeyedDigest digest;

    public AuditMapper(KeyedDigest digest) {
        this.digest = digest;
    }

    public GrantAuditEntry entry(GrantRecordMapper.Decoded decoded, Origin origin, Instant now) {
        GrantKey key = GrantKey.parse(origin.recordKey()).orElse(null);
        Parsed<Grant> parsed = origin.value() == null ? null : Json.parse(origin.value(), Grant.class);
        String kind;
        AuditDecision decision;
        String reason = null;
        String message;
        String signer = null;
        long generation = 0;
        if (decoded instanceof GrantRecordMapper.Entry entry) {
            signer = entry.signer();
            generation = entry.entry().generation();
            if (entry.entry() instanceof GrantEntry.Revoked) {
                kind = GrantAuditEntry.KIND_REVOCATION;
                decision = AuditDecision.Revoked;
                message = "revocation up to generation " + generation + " accepted";
            } else if (entry.entry() instanceof GrantEntry.Rejected rejected) {
                kind = kindOf(parsed);
                decision = AuditDecision.Rejected;
                reason = rejected.reason().value();
                message = rejected.message();
            } else {
                kind = GrantAuditEntry.KIND_GRANT;
                decision = AuditDecision.Accepted;
                message = "grant generation " + generation + " accepted";
            }
        } else if (decoded instanceof GrantRecordMapper.Refused refused) {
            signer = refused.signer();
            generation = refused.entry().generation();
            kind = kindOf(parsed);
            decision = AuditDecision.Rejected;
            reason = refused.entry().reason().value();
            message = refused.entry().message();
        } else if (decoded instanceof GrantRecordMapper.Revoke) {
            kind = GrantAuditEntry.KIND_TOMBSTONE;
            decision = AuditDecision.Revoked;
            reason = StatusReason.REVOKED.value();
            message = "tombstone accepted: signatures are optional";
        } else if (decoded instanceof GrantRecordMapper.IgnoredTombstone) {
            kind = GrantAuditEntry.KIND_TOMBSTONE;
            decision = AuditDecision.Ignored;
            reason = StatusReason.SIGNATURE_MISSING.value();
            message = "tombstone ignored: signatures are required, revoke with a signed GrantRevocation";
        } else {
            GrantRecordMapper.Unreadable unreadable = (GrantRecordMapper.Unreadable) decoded;
            kind = GrantAuditEntry.KIND_UNREADABLE;
            decision = AuditDecision.Rejected;
            reason = StatusReason.UNPARSEABLE.value();
            message = unreadable.message();
        }
        byte[] value = origin.value();
        return new GrantAuditEntry(key == null ? origin.recordKey() : key.format(), key == null ? null : key.tenant(),
                key == null ? null : key.name(), generation, kind, decision, reason, message, signer,
                origin.signature(), issuer(parsed), value == null ? null : digest.of(value),
                value == null || value.length > GrantAuditEntry.RECORD_MAX ? null
                        : Base64.getEncoder().encodeToString(value),
                origin.partition(), origin.offset(), origin.recordTime(), now);
    }

    /** The record's kind, from its value parsed once (null for a tombstone). */
    private static String kindOf(Parsed<Grant> parsed) {
        if (parsed == null) {
            return GrantAuditEntry.KIND_TOMBSTONE;
        }
        if (parsed instanceof Parsed.Ok<Grant> ok && GrantRevocation.KIND.equals(ok.value().kind())) {
            return GrantAuditEntry.KIND_REVOCATION;
        }
        return parsed instanceof Parsed.Ok<Grant> ? GrantAuditEntry.KIND_GRANT : GrantAuditEntry.KIND_UNREADABLE;
    }

    private static String issuer(Parsed<Grant> parsed) {
        if (parsed instanceof Parsed.Ok<Grant> ok && ok.value().metadata() != null) {
            String issuer = ok.value().metadata().issuer();
            return issuer == null || issuer.length() > 256 ? null : issuer;
        }
        return null;
    }
}
