package dev.grantflow.watcher.domain;

import dev.grantflow.watcher.domain.TenantEventPolicy.Published;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The watcher's memory: the desired state of every namespace (from the informer) and what this replica knows the
 * tenants topic holds (from its own successful sends, or read back from the topic on becoming leader).
 *
 * <p>Pure and thread-safe: the informer thread records observations, the publisher thread asks what is pending and
 * records what it sent. No I/O.
 */
public final class TenantLedger {

    private final TenantEventPolicy policy;
    private final Map<String, TenantState> desired = new HashMap<>();
    private final Map<String, Published> published = new HashMap<>();

    public TenantLedger(TenantEventPolicy policy) {
        this.policy = policy;
    }

    /** Records the current state of a namespace; returns true when its desired tenant state changed. */
    public synchronized boolean observe(NamespaceView namespace) {
        TenantState next = policy.desiredState(namespace);
        TenantState previous = next == null ? desired.remove(namespace.name()) : desired.put(namespace.name(), next);
        return !Objects.equals(previous, next);
    }

    /** Records that a namespace no longer exists; returns true when it was a tenant. */
    public synchronized boolean forget(String namespace) {
        return desired.remove(namespace) != null;
    }

    /** What should be published now for a tenant key. */
    public synchronized Publication pending(String tenant, Instant now) {
        return policy.decide(tenant, desired.get(tenant), published.get(tenant), now);
    }

    /** Records a publication the broker acknowledged. */
    public synchronized void acknowledged(Publication publication) {
        if (publication instanceof Publication.Announce announce) {
            published.put(announce.tenant(), new Published(announce.state()));
        } else if (publication instanceof Publication.Tombstone tombstone) {
            published.remove(tombstone.tenant());
        }
    }

    /**
     * Forgets what was published and starts from the keys the topic holds now (their content unknown). Called on
     * becoming leader: every current tenant is then announced again and every key without a tenant is tombstoned.
     *
     * @return every key that may need a publication
     */
    public synchronized Set<String> restartFrom(Collection<String> liveTopicKeys) {
        published.clear();
        liveTopicKeys.forEach(key -> published.put(key, Published.unknown()));
        Set<String> keys = new HashSet<>(published.keySet());
        keys.addAll(desired.keySet());
        return keys;
    }

    /** Number of namespaces that are currently tenants. */
    public synchronized int tenantCount() {
        return desired.size();
    }
}
