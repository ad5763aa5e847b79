package dev.grantflow.grantctl.domain;

import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantPhase;
import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.grant.TenantCounts;
import java.util.ArrayList;
import java.util.List;

/**
 * What a selector grant's summary status ({@code &#42;/<name>}) tells the administrator beyond its table row, as
 * {@code grant} and {@code revoke} print it when the wait ends: a selector matching no tenant yet (the grant applies
 * to tenants as they appear), copies overridden by grants that take precedence, failed tenants, and where to see
 * which. Pure.
 */
public final class SelectorSummaryMapper {

    private SelectorSummaryMapper() {
    }

    /** The lines to print after the summary's row; none for a revoked or rejected grant, or without counts. */
    public static List<String> notes(GrantKey key, GrantStatus summary) {
        TenantCounts counts = summary.tenants();
        if (!key.isSelector() || counts == null || summary.phase() == GrantPhase.REVOKED
                || summary.phase() == GrantPhase.REJECTED) {
            return List.of();
        }
        if (counts.selected() == 0) {
            return List.of(key.format() + " selects no tenant now (selected 0): it applies to tenants as they appear, "
                    + "or as their labels come to match its selector");
        }
        List<String> notes = new ArrayList<>();
        notes.add(key.format() + ": " + counts);
        String perTenant = perTenantCommand(key);
        if (counts.overridden() > 0) {
            notes.add(counts.overridden() + " tenant(s) keep another grant that takes precedence over this one (same "
                    + "Secret or PodDefault name); see which: " + perTenant);
        }
        if (counts.failed() > 0) {
            notes.add(counts.failed() + " tenant(s) failed; see which and why: " + perTenant);
        }
        return notes;
    }

    /** The progress shown while waiting: the latest counts, or empty text before any. */
    public static String progress(GrantStatus latest) {
        return latest == null || latest.tenants() == null ? "" : " (" + latest.tenants() + ")";
    }

    /** The command that lists a selector grant's copies, one row per tenant. */
    public static String perTenantCommand(GrantKey key) {
        return "grantctl status --grant " + key.name() + " --per-tenant";
    }
}
