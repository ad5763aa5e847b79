package dev.grantflow.grantctl.domain;

import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.grant.TenantCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Grant statuses as the table of {@code grantctl status} and of the final status of {@code grant}/{@code revoke}. Pure.
 *
 * <p>A selector grant's row has tenant {@code *} and its tally over the tenants it selects in the TENANTS column
 * ({@code 3/5 applied, 1 pending, 1 failed, 0 overridden}); a copy in one tenant has the grant name {@code *<name>}
 * (its key is {@code <tenant>/*<name>}). Other rows show {@code -} there.
 */
public final class StatusTableMapper {

    public static final List<String> HEADERS = List.of("TENANT", "GRANT", "PHASE", "REASON", "GENERATION", "TENANTS",
            "AGE", "MESSAGE");

    private static final Comparator<GrantStatus> ORDER = Comparator
            .comparing((GrantStatus s) -> String.valueOf(s.tenant()))
            .thenComparing(s -> String.valueOf(s.grant()));

    private StatusTableMapper() {
    }

    /** The rows sorted by tenant and grant (selector grants, tenant {@code *}, first). */
    public static TextTable table(Collection<GrantStatus> statuses, Instant now) {
        TextTable table = new TextTable(HEADERS);
        statuses.stream().sorted(ORDER).forEach(s -> table.add(row(s, now)));
        return table;
    }

    public static List<String> row(GrantStatus s, Instant now) {
        return List.of(String.valueOf(s.tenant()), String.valueOf(s.grant()),
                s.phase() == null ? "-" : s.phase().value(), s.reason() == null ? "-" : s.reason(),
                Long.toString(s.generation()), tenants(s.tenants()),
                s.at() == null ? "-" : DurationSyntax.age(Duration.between(s.at(), now)),
                s.message() == null ? "" : s.message());
    }

    /**
     * A selector grant's tally as the TENANTS cell: {@code 3/5 applied, 1 pending, 1 failed, 0 overridden}, or
     * {@code 0 selected} when its selector matches no tenant (yet); {@code -} without a tally.
     */
    public static String tenants(TenantCounts counts) {
        if (counts == null) {
            return "-";
        }
        if (counts.selected() == 0) {
            return "0 selected";
        }
        return counts.applied() + "/" + counts.selected() + " applied, " + counts.pending() + " pending, "
                + counts.failed() + " failed, " + counts.overridden() + " overridden";
    }
}
