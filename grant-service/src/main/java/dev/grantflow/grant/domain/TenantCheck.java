package dev.grantflow.grant.domain;

import java.util.Objects;

/**
 * What grant-service's own Namespace informer says about a tenant namespace, as decided by
 * {@link TenantConfirmationPolicy}. Independent of the tenants topic: the reconcile needs both the topic's
 * announcement and a {@link Verdict#CONFIRMED} check to write into the namespace.
 *
 * @param namespace the tenant namespace
 * @param verdict   the decision
 * @param detail    what the verdict rests on, for status messages: the selector the labels did not match, or why the
 *                  namespace is protected; empty otherwise
 */
public record TenantCheck(String namespace, Verdict verdict, String detail) {

    public enum Verdict {
        /** It exists, is not terminating and carries the tenant labels. */
        CONFIRMED,
        /** The informer does not hold it: it does not exist (or not yet). */
        ABSENT,
        /** It has a deletion timestamp or phase {@code Terminating}. */
        TERMINATING,
        /** It exists but does not match the tenant label selector. */
        NOT_LABELLED,
        /** Never written into nor deleted from, whatever a topic or a label says. */
        PROTECTED
    }

    public TenantCheck {
        Objects.requireNonNull(namespace);
        Objects.requireNonNull(verdict);
        detail = detail == null ? "" : detail;
    }

    public static TenantCheck confirmed(String namespace) {
        return new TenantCheck(namespace, Verdict.CONFIRMED, "");
    }

    public boolean confirmed() {
        return verdict == Verdict.CONFIRMED;
    }

    public boolean isProtected() {
        return verdict == Verdict.PROTECTED;
    }

    /** Why the namespace is not (or not yet) a tenant to write into, naming it; empty when confirmed. */
    public String describe() {
        return switch (verdict) {
            case CONFIRMED -> "";
            case ABSENT -> "namespace '" + namespace + "' does not exist";
            case TERMINATING -> "namespace '" + namespace + "' is terminating";
            case NOT_LABELLED -> "namespace '" + namespace + "' is not labelled as a tenant (selector '" + detail
                    + "')";
            case PROTECTED -> "namespace '" + namespace + "' is protected (" + detail + ")";
        };
    }
}
