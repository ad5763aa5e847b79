package dev.grantflow.grantctl.domain;

import dev.grantflow.model.grant.GrantAuditEntry;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.trust.Signatures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The audit history as {@code grantctl audit} shows it: entries de-duplicated by the grants record they are about
 * (partition and offset: grant-service writes at least once), filtered, in decision order, each with its signature
 * re-verified over the recorded bytes. Pure (the trust jar's verifier is pure).
 */
public final class AuditPolicy {

    public static final List<String> HEADERS = List.of("TIME", "KEY", "GENERATION", "KIND", "DECISION", "REASON",
            "SIGNER", "VERIFIED");

    /** One entry and its re-verification; {@code detail} says why it is NO. */
    public record Checked(GrantAuditEntry entry, AuditVerdict verdict, String detail) {
    }

    private AuditPolicy() {
    }

    /** Whether {@code entry} belongs to {@code tenant} and {@code grant} (each null: any). */
    public static boolean matches(GrantAuditEntry entry, String tenant, String grant) {
        GrantKey key = key(entry);
        return (tenant == null || key != null && tenant.equals(key.tenant()))
                && (grant == null || key != null && grant.equals(key.name()));
    }

    /** De-duplicates by grants partition and offset (first seen wins) and sorts by decision time, then offset. */
    public static List<GrantAuditEntry> history(List<GrantAuditEntry> entries) {
        Set<String> seen = new HashSet<>();
        List<GrantAuditEntry> unique = new ArrayList<>();
        for (GrantAuditEntry entry : entries) {
            if (seen.add(entry.partition() + "@" + entry.offset())) {
                unique.add(entry);
            }
        }
        unique.sort(Comparator.comparing((GrantAuditEntry e) -> e.at() == null ? Instant.EPOCH : e.at())
                .thenComparingInt(GrantAuditEntry::partition).thenComparingLong(GrantAuditEntry::offset));
        return unique;
    }

    /** Re-verifies {@code entry}'s signature; {@code verifier} null means no administrator keys were given. */
    public static Checked check(GrantAuditEntry entry, Signatures verifier) {
        if (entry.signature() == null || entry.signature().isBlank() || entry.record() == null) {
            return new Checked(entry, AuditVerdict.NONE, null);
        }
        if (verifier == null) {
            return new Checked(entry, AuditVerdict.UNCHECKED, null);
        }
        byte[] record;
        try {
            record = Base64.getDecoder().decode(entry.record());
        } catch (IllegalArgumentException e) {
            return new Checked(entry, AuditVerdict.NO, "the recorded value is not base64");
        }
        GrantKey key = key(entry);
        // An entry whose key could not be read has no tenant; "" is in no key's tenant list.
        String tenant = key == null ? "" : key.tenant();
        Signatures.Verdict verdict = verifier.verify(record, entry.signature(), tenant);
        if (verdict instanceof Signatures.Refused refused) {
            return new Checked(entry, AuditVerdict.NO, refused.message());
        }
        return new Checked(entry, AuditVerdict.YES, null);
    }

    public static List<String> row(Checked checked) {
        GrantAuditEntry e = checked.entry();
        return List.of(e.at() == null ? "-" : e.at().toString(), Objects.toString(e.key(), "-"),
                Long.toString(e.generation()), Objects.toString(e.kind(), "-"),
                e.decision() == null ? "-" : e.decision().name(), Objects.toString(e.reason(), "-"),
                Objects.toString(e.signer(), "-"), checked.verdict().text());
    }

    private static GrantKey key(GrantAuditEntry entry) {
        if (entry.tenant() != null && entry.grant() != null) {
            return new GrantKey(entry.tenant(), entry.grant());
        }
        return GrantKey.parse(entry.key()).orElse(null);
    }
}
