package dev.grantflow.grant.domain;

import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.grant.StatusReason;
import dev.grantflow.model.grant.TenantCounts;
import dev.grantflow.model.poddefault.PodDefault;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decisions about selector grants (docs/design.md, "Selector grants"). A selector grant ({@code *}{@code /<name>})
 * is materialized as one <em>copy</em> per selected tenant ({@code <tenant>/*<name>}), and each copy is reconciled
 * like a grant to that tenant by the {@link ReconcilePolicy}, after the rules here. Pure: no I/O.
 *
 * <p>Rules for a copy, in order:
 * <ol>
 *   <li>A tenant is selected when grant-service's Namespace informer confirms it as a tenant
 *       ({@link TenantConfirmationPolicy}) and its labels match the grant's tenant selector. A copy in a tenant that
 *       is not selected (any more) is deleted, {@code Revoked/TenantNotSelected} (a collection, within the
 *       {@link DeletionBudget}).</li>
 *   <li>Precedence, when two grants produce the same Secret or PodDefault name in one tenant: a grant to the tenant
 *       wins over a selector grant; between selector grants, the smaller name wins. The loser keeps nothing there,
 *       {@code Rejected/Overridden} naming the winner; the winner takes over the loser's objects of that name
 *       ({@link ReconcilePolicy#mayTakeOver}). Both sides decide on the same ledger, so the outcome never flaps.</li>
 *   <li>Otherwise the grant, instantiated in the tenant ({@link Grant#in}), goes through the {@link ReconcilePolicy}.
 *   </li>
 * </ol>
 * The selector grant's own status ({@link #summary}) tallies its copies' latest statuses over the selected tenants.
 */
public final class SelectorGrantPolicy {

    private SelectorGrantPolicy() {
    }

    /**
     * The entry a copy reconciles: the selector grant's entry re-keyed to the copy, an accepted grant instantiated in
     * the copy's tenant. Null stays null.
     */
    public static GrantEntry forCopy(GrantKey copy, GrantEntry entry) {
        if (entry instanceof GrantEntry.Accepted accepted) {
            return new GrantEntry.Accepted(copy, accepted.grant().in(copy.tenant()));
        }
        if (entry instanceof GrantEntry.Revoked revoked) {
            return new GrantEntry.Revoked(copy, revoked.generation());
        }
        if (entry instanceof GrantEntry.Rejected rejected) {
            return new GrantEntry.Rejected(copy, rejected.generation(), rejected.reason(), rejected.message());
        }
        return null;
    }

    /** Whether {@code selector} selects {@code tenant}: a confirmed tenant whose labels match. */
    public static boolean selects(GrantLedger.SelectorGrant selector, TenantCheck tenant, Map<String, String> labels) {
        return tenant.confirmed() && selector.selector().matches(labels);
    }

    /**
     * The grant that takes precedence over the copy of {@code grant} in {@code tenant}, or empty when none does: the
     * first by name of the grants to the tenant that collide with it, else the smallest-named selector grant that
     * collides with it and has a smaller name.
     *
     * @param tenantGrants the accepted grants to the tenant in force
     * @param selected     the other selector grants in force that select the tenant
     */
    public static Optional<Grant> overriddenBy(Grant grant, Collection<Grant> tenantGrants,
            Collection<GrantLedger.SelectorGrant> selected, Instant now) {
        Optional<Grant> tenantGrant = tenantGrants.stream()
                .filter(other -> !other.isExpiredAt(now) && collides(grant, other))
                .min(Comparator.comparing(other -> other.metadata().name()));
        if (tenantGrant.isPresent()) {
            return tenantGrant;
        }
        String name = grant.metadata().name();
        return selected.stream()
                .filter(other -> other.key().name().compareTo(name) < 0 && !other.grant().isExpiredAt(now)
                        && collides(grant, other.grant()))
                .min(Comparator.comparing(other -> other.key().name())).map(GrantLedger.SelectorGrant::grant);
    }

    /** The winner of a precedence, for a status message. */
    public static String describe(Grant winner, String tenant) {
        return winner.selectsTenants()
                ? "selector grant " + winner.grantKey().format() + " (between selector grants the smaller name wins)"
                : "grant " + tenant + "/" + winner.metadata().name() + " to this tenant";
    }

    /** Both grants produce a Secret or a PodDefault of the same name. */
    static boolean collides(Grant a, Grant b) {
        return a.spec().secret().name().equals(b.spec().secret().name())
                || a.spec().podDefault().name().equals(b.spec().podDefault().name());
    }

    /**
     * The copy in a tenant the grant does not select: its objects are deleted (within the deletion budget), and the
     * copy reported {@code Revoked/TenantNotSelected}; nothing to report when there was nothing there and nothing was
     * reported before.
     */
    public static ReconcilePlan notSelected(ReconcileInput in, String selector, long generation) {
        List<KubeAction> deletes = ReconcilePolicy.deleteAll(in);
        if (deletes.isEmpty() && in.reported() == null) {
            return new ReconcilePlan(List.of(), null, null);
        }
        String why = in.tenant().confirmed() ? "its labels do not match the tenant selector '" + selector + "'"
                : in.tenant().describe();
        return new ReconcilePlan(deletes, GrantStatus.of(in.key(), generation, StatusReason.TENANT_NOT_SELECTED,
                "namespace '" + in.key().tenant() + "' is not selected: " + why + ReconcilePolicy.deleted(deletes),
                in.now()), null, !deletes.isEmpty());
    }

    /**
     * The copy yields to {@code winner}: its objects are deleted, except those with a name the winner produces, which
     * are left for the winner to take over ({@link ReconcilePolicy#mayTakeOver}) so that the winner never finds its
     * name vanishing under it.
     */
    public static ReconcilePlan overridden(ReconcileInput in, Grant winner, long generation) {
        String secret = winner.spec().secret().name();
        String podDefault = winner.spec().podDefault().name();
        List<KubeAction> deletes = ReconcilePolicy.deleteAll(in).stream()
                .filter(delete -> !(delete.object() instanceof Secret s && s.getMetadata().getName().equals(secret))
                        && !(delete.object() instanceof PodDefault pd && pd.getMetadata().getName().equals(podDefault)))
                .toList();
        return new ReconcilePlan(deletes, GrantStatus.of(in.key(), generation, StatusReason.OVERRIDDEN,
                describe(winner, in.key().tenant()) + " produces the same Secret or PodDefault name in namespace '"
                        + in.key().tenant() + "' and takes precedence; this selector grant is not applied there"
                        + ReconcilePolicy.deleted(deletes), in.now()), null);
    }

    /**
     * The status of an accepted selector grant over its selected tenants: {@code Failed/TenantsFailed} when a copy
     * failed, else {@code Pending/TenantsPending} while one is not applied, else {@code Applied} (also for a selector
     * that selects no tenant yet: tenants that appear later get it).
     */
    public static GrantStatus summary(GrantKey key, Grant grant, String selector, TenantCounts counts, Instant now) {
        long generation = grant.generation();
        String tally = "selector '" + selector + "': " + counts;
        if (counts.failed() > 0) {
            return GrantStatus.of(key, generation, StatusReason.TENANTS_FAILED, tally, now).withTenants(counts);
        }
        if (counts.pending() > 0) {
            return GrantStatus.of(key, generation, StatusReason.TENANTS_PENDING, tally, now).withTenants(counts);
        }
        String message = counts.selected() == 0 ? tally + "; applied in every tenant the selector matches when it "
                + "appears" : tally;
        return GrantStatus.of(key, generation, StatusReason.APPLIED, message, now).withTenants(counts);
    }
}
