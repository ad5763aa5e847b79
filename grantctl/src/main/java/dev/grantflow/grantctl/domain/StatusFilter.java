package dev.grantflow.grantctl.domain;

import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantStatus;
import java.util.Optional;

/**
 * Which statuses {@code grantctl status} shows. Pure.
 *
 * <p>A selector grant's copies in single tenants ({@code <tenant>/*<name>}) are folded into the selector grant's own
 * row ({@code &#42;/<name>}, with their counts), so that a grant over 5,000 tenants is one line; they are shown with
 * {@code perTenant}, or when the statuses are narrowed to one tenant (at most one copy per selector grant there).
 *
 * @param tenant    only this tenant ({@code *}: selector grants), or null
 * @param grant     only this grant name (a copy counts as its selector grant's name), or null
 * @param perTenant show a selector grant's copies too, one row per (grant, tenant)
 */
public record StatusFilter(String tenant, String grant, boolean perTenant) {

    /** The key of {@code status} if it is shown, else empty. */
    public Optional<GrantKey> shown(GrantStatus status) {
        Optional<GrantKey> key = status == null ? Optional.empty() : status.key();
        if (key.isEmpty()) {
            return Optional.empty();
        }
        GrantKey k = key.get();
        if (k.isCopy() && !perTenant && tenant == null) {
            return Optional.empty();
        }
        boolean matches = (tenant == null || tenant.equals(k.tenant()))
                && (grant == null || grant.equals(k.grantName()));
        return matches ? key : Optional.empty();
    }
}
