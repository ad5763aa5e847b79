package dev.grantflow.watcher.domain;

import dev.grantflow.model.kubernetes.CompiledLabelSelector;
import dev.grantflow.model.tenant.TenantEvent;
import dev.grantflow.model.tenant.TenantEventType;
import java.time.Instant;
import java.util.Objects;

/**
 * Decides what the tenants topic should say about a namespace.
 *
 * <p>Level-triggered: the decision depends only on the namespace's current state and on what was last published for
 * it, never on the informer event that woke us up. Replaying, coalescing or reordering wake-ups is therefore
 * harmless.
 */
public final class TenantEventPolicy {

    private final CompiledLabelSelector selector;
    private final String ownerAnnotation;

    public TenantEventPolicy(CompiledLabelSelector selector, String ownerAnnotation) {
        this.selector = Objects.requireNonNull(selector);
        this.ownerAnnotation = Objects.requireNonNull(ownerAnnotation);
    }

    /**
     * The tenant state a namespace should be announced with, or null when it is not an announced tenant: not
     * selected by the label selector, not Active yet, or terminating.
     */
    public TenantState desiredState(NamespaceView namespace) {
        if (namespace == null || !namespace.active() || !selector.matches(namespace.labels())) {
            return null;
        }
        return new TenantState(namespace.annotations().get(ownerAnnotation), namespace.labels());
    }

    /**
     * What to publish for {@code tenant}.
     *
     * @param desired   the state it should have, null when it should be absent
     * @param published what the topic holds for it: null when nothing (or a tombstone), {@link Published#unknown()}
     *                  when a record exists whose content this replica has not published itself
     */
    public Publication decide(String tenant, TenantState desired, Published published, Instant now) {
        if (desired == null) {
            return published == null ? new Publication.Nothing(tenant) : new Publication.Tombstone(tenant);
        }
        if (published == null || published.state() == null) {
            return announce(TenantEventType.CREATED, tenant, desired, now);
        }
        if (!published.state().equals(desired)) {
            return announce(TenantEventType.UPDATED, tenant, desired, now);
        }
        return new Publication.Nothing(tenant);
    }

    private static Publication announce(TenantEventType type, String tenant, TenantState state, Instant now) {
        return new Publication.Announce(new TenantEvent(type, tenant, state.owner(), state.labels(), now), state);
    }

    /** What this replica knows the topic holds for a key; {@code state} is null when the content is unknown. */
    public record Published(TenantState state) {
        private static final Published UNKNOWN = new Published(null);

        public static Published unknown() {
            return UNKNOWN;
        }
    }
}
