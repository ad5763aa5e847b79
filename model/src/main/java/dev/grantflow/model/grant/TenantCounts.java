package dev.grantflow.model.grant;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A selector grant's tally over the tenants its selector matches, carried by its status ({@code &#42;/<grant>}): how many
 * tenants are selected, and how many of their copies are applied, pending, failed, or overridden by a grant that takes
 * precedence. Each selected tenant counts once, by its copy's latest status ({@code <tenant>/*<grant>}); a tenant
 * without a status yet (or one about an older generation) counts as pending. Rejected copies other than overridden ones count as failed.
 *
 * @param selected   tenants the selector matches now
 * @param applied    copies applied
 * @param pending    copies not applied yet
 * @param failed     copies that failed or were rejected
 * @param overridden copies yielding to a grant that takes precedence
 */
@JsonPropertyOrder({"selected", "applied", "pending", "failed", "overridden"})
public record TenantCounts(int selected, int applied, int pending, int failed, int overridden) {

    /**
     * Tallies one more selected tenant whose copy's latest status is {@code copy} (null: none yet); a status about an
     * older generation than {@code generation} (the selector grant's in force) counts as pending.
     */
    public TenantCounts plus(GrantStatus copy, long generation) {
        if (copy == null || copy.generation() < generation || copy.phase() == GrantPhase.PENDING
                || copy.phase() == GrantPhase.REVOKED) {
            return new TenantCounts(selected + 1, applied, pending + 1, failed, overridden);
        }
        if (StatusReason.OVERRIDDEN.value().equals(copy.reason())) {
            return new TenantCounts(selected + 1, applied, pending, failed, overridden + 1);
        }
        if (copy.phase() == GrantPhase.APPLIED) {
            return new TenantCounts(selected + 1, applied + 1, pending, failed, overridden);
        }
        return new TenantCounts(selected + 1, applied, pending, failed + 1, overridden);
    }

    public static TenantCounts none() {
        return new TenantCounts(0, 0, 0, 0, 0);
    }

    @Override
    public String toString() {
        return selected + " selected: " + applied + " applied, " + pending + " pending, " + failed + " failed, "
                + overridden + " overridden";
    }
}
