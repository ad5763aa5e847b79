package dev.grantflow.grant.domain;

import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.grant.StatusReason;
import dev.grantflow.model.kubernetes.CompiledLabelSelector;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Whether a namespace is a tenant grant-service may write into. A record on the tenants topic alone does not make a
 * namespace a tenant (anyone able to write to that topic could otherwise have credentials copied anywhere): the
 * namespace must also be confirmed by grant-service's own Namespace informer, with the selection namespace-watcher
 * uses (the same label selector, evaluated in memory with the model's {@link CompiledLabelSelector}, ADR 2).
 *
 * <p>Rules, in order ({@link #check}):
 * <ol>
 *   <li>Protected namespaces are never written into nor deleted from, whatever a topic or a namespace label says:
 *       {@code kube-system}, {@code kube-public}, {@code kube-node-lease}, grant-service's own namespace, the source
 *       namespace and a configured list. A grant for one is {@code Rejected/ProtectedNamespace}
 *       ({@link #protectedTenant}, applied before every other reconcile rule).</li>
 *   <li>A namespace the informer does not hold does not exist ({@code ABSENT}).</li>
 *   <li>A namespace with a deletion timestamp or phase {@code Terminating} is leaving ({@code TERMINATING}).</li>
 *   <li>A namespace whose labels do not match the tenant selector is not a tenant ({@code NOT_LABELLED}).</li>
 *   <li>Otherwise it is {@code CONFIRMED}.</li>
 * </ol>
 * A tenant the topic announces but the check does not confirm is {@code Pending/TenantUnconfirmed}: nothing is
 * written, and copies left in it are collected like those in an absent tenant ({@link #notATenant}, from the
 * tenant rule of {@link ReconcilePolicy}).
 */
public final class TenantConfirmationPolicy {

    /** Kubernetes' own namespaces, always protected. */
    public static final List<String> SYSTEM_NAMESPACES = List.of("kube-system", "kube-public", "kube-node-lease");

    private final CompiledLabelSelector selector;
    private final SortedMap<String, String> protectedNamespaces;

    /**
     * @param selector      which namespaces are tenants (namespace-watcher's selector)
     * @param ownNamespace  grant-service's own namespace, or null when unknown
     * @param sourceNamespace the administrators' source namespace
     * @param configured    further protected namespaces
     */
    public TenantConfirmationPolicy(CompiledLabelSelector selector, String ownNamespace, String sourceNamespace,
            Collection<String> configured) {
        this.selector = Objects.requireNonNull(selector);
        Map<String, String> why = new LinkedHashMap<>();
        configured.forEach(ns -> why.put(ns.trim(), "configured in grantflow.grants.tenants.protected-namespaces"));
        why.put(Objects.requireNonNull(sourceNamespace), "the source namespace");
        if (ownNamespace != null && !ownNamespace.isBlank()) {
            why.put(ownNamespace, "grant-service's own namespace");
        }
        SYSTEM_NAMESPACES.forEach(ns -> why.put(ns, "a Kubernetes system namespace"));
        why.remove("");
        this.protectedNamespaces = Collections.unmodifiableSortedMap(new TreeMap<>(why));
    }

    /** The protected namespaces, each with why it is protected. */
    public SortedMap<String, String> protectedNamespaces() {
        return protectedNamespaces;
    }

    /** The tenant label selector, in its string form. */
    public String selector() {
        return selector.toString();
    }

    /**
     * The verdict on {@code tenant}'s namespace.
     *
     * @param namespace the namespace as the informer holds it, or null when it holds none of that name
     */
    public TenantCheck check(String tenant, TenantNamespace namespace) {
        String why = protectedNamespaces.get(tenant);
        if (why != null) {
            return new TenantCheck(tenant, TenantCheck.Verdict.PROTECTED, why);
        }
        if (namespace == null) {
            return new TenantCheck(tenant, TenantCheck.Verdict.ABSENT, "");
        }
        if (namespace.terminating()) {
            return new TenantCheck(tenant, TenantCheck.Verdict.TERMINATING, "");
        }
        if (!selector.matches(namespace.labels())) {
            return new TenantCheck(tenant, TenantCheck.Verdict.NOT_LABELLED, selector.toString());
        }
        return TenantCheck.confirmed(tenant);
    }

    /**
     * The plan for a key whose tenant is protected, decided before every rule of the {@link ReconcilePolicy} (so that
     * neither an expiry nor a revocation deletes anything there): nothing is written or deleted, and the grant (or the
     * objects found there) is reported {@code Rejected/ProtectedNamespace}. Empty when the tenant is not protected,
     * and when there is neither a grant nor an object of the key (a revocation with nothing to do is the reconcile
     * policy's to report).
     */
    public static Optional<ReconcilePlan> protectedTenant(ReconcileInput in) {
        if (!in.tenant().isProtected()) {
            return Optional.empty();
        }
        int objects = in.actualSecrets().size() + in.actualPodDefaults().size();
        if (in.entry() == null && objects == 0) {
            return Optional.empty();
        }
        String left = objects == 0 ? "" : "; " + objects + " object(s) of this grant found there are left in place";
        GrantStatus status = GrantStatus.of(in.key(), in.entry() == null ? 0 : in.entry().generation(),
                StatusReason.PROTECTED_NAMESPACE, in.tenant().describe() + ": Grantflow never writes or deletes "
                        + "there" + left, in.now());
        return Optional.of(new ReconcilePlan(List.of(), status, null));
    }

    /**
     * The status of a grant whose tenant is not one to write into: the tenants topic does not announce it
     * ({@code Pending/TenantAbsent}), it announces it but the informer does not confirm it
     * ({@code Pending/TenantUnconfirmed}, naming what is missing), or it is protected
     * ({@code Rejected/ProtectedNamespace}).
     *
     * @param deleted what the plan deletes, described ("" when nothing), appended to the message
     */
    public static GrantStatus notATenant(ReconcileInput in, long generation, String deleted) {
        GrantKey key = in.key();
        TenantCheck tenant = in.tenant();
        if (tenant.isProtected()) {
            return GrantStatus.of(key, generation, StatusReason.PROTECTED_NAMESPACE, tenant.describe()
                    + ": Grantflow never writes or deletes there", in.now());
        }
        if (!in.tenantExists()) {
            return GrantStatus.of(key, generation, StatusReason.TENANT_ABSENT, "tenant namespace '" + key.tenant()
                    + "' does not exist yet; applied when it appears" + deleted, in.now());
        }
        return GrantStatus.of(key, generation, StatusReason.TENANT_UNCONFIRMED, "tenant '" + key.tenant()
                + "' is announced on the tenants topic but not confirmed: " + tenant.describe()
                + "; nothing is written until it is" + deleted, in.now());
    }
}
