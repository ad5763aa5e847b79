package dev.grantflow.grant.domain;

import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.SecretSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The desired state this instance rebuilt from Kafka: the grants of its assigned partitions (latest accepted
 * generation per key) and the set of existing tenants. Pure and thread-safe; no I/O.
 */
public final class GrantBook {

    /** What {@link #put} did with a record. */
    public enum PutResult {
        /** The entry is now the desired state of its key. */
        STORED,
        /** A newer generation is already held for the key; the record was ignored. */
        STALE
    }

    private record Held(GrantEntry entry, int partition) {
    }

    private final Map<GrantKey, Held> grants = new HashMap<>();
    private final Map<GrantKey, Integer> tombstones = new HashMap<>();
    private final Set<String> tenants = new HashSet<>();

    /**
     * Records a grant read from {@code partition}. A record whose generation is lower than the held one is stale and
     * ignored (no rollback by replay); an equal generation replaces the held entry (a re-post of the same grant).
     */
    public synchronized PutResult put(GrantEntry entry, int partition) {
        Held held = grants.get(entry.key());
        if (held != null && entry.generation() < held.entry().generation()) {
            return PutResult.STALE;
        }
        grants.put(entry.key(), new Held(entry, partition));
        tombstones.remove(entry.key());
        return PutResult.STORED;
    }

    /** A tombstone: the grant is revoked. */
    public synchronized void revoke(GrantKey key, int partition) {
        grants.remove(key);
        tombstones.put(key, partition);
    }

    /** Forgets the grants of partitions this instance no longer owns; returns their keys. */
    public synchronized Set<GrantKey> dropPartitions(Collection<Integer> partitions) {
        Set<GrantKey> dropped = new HashSet<>();
        grants.entrySet().removeIf(e -> partitions.contains(e.getValue().partition()) && dropped.add(e.getKey()));
        tombstones.entrySet().removeIf(e -> partitions.contains(e.getValue()) && dropped.add(e.getKey()));
        return dropped;
    }

    public synchronized GrantEntry entry(GrantKey key) {
        Held held = grants.get(key);
        return held == null ? null : held.entry();
    }

    public synchronized boolean tombstoned(GrantKey key) {
        return tombstones.containsKey(key);
    }

    /** Records whether a tenant namespace exists; returns the keys of its grants. */
    public synchronized List<GrantKey> tenant(String tenant, boolean exists) {
        if (exists) {
            tenants.add(tenant);
        } else {
            tenants.remove(tenant);
        }
        return grants.keySet().stream().filter(k -> k.tenant().equals(tenant)).toList();
    }

    public synchronized boolean tenantExists(String tenant) {
        return tenants.contains(tenant);
    }

    /** Keys of accepted grants that copy the source Secret {@code name}. */
    public synchronized List<GrantKey> keysUsingSource(String name) {
        List<GrantKey> keys = new ArrayList<>();
        grants.forEach((key, held) -> {
            if (held.entry() instanceof GrantEntry.Accepted accepted) {
                SecretSource source = accepted.grant().spec().secret().source();
                if (source.secretRef() != null && name.equals(source.secretRef().name())) {
                    keys.add(key);
                }
            }
        });
        return keys;
    }

    /** Every key with a grant or a tombstone. */
    public synchronized Set<GrantKey> keys() {
        Set<GrantKey> keys = new HashSet<>(grants.keySet());
        keys.addAll(tombstones.keySet());
        return keys;
    }
}
