package dev.grantflow.grant.domain;

import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.SecretSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The desired state rebuilt from Kafka: every grant of the whole grants topic (every instance reads every partition)
 * and the set of existing tenants. Pure and thread-safe; no I/O.
 *
 * <p>A producer may put the records of one key into several partitions (any partitioner: librdkafka's, a custom one,
 * an explicit partition). The ledger therefore keeps, per key, the latest record of each partition (a <em>slot</em>),
 * and derives the key's state by replaying those slots as one log ordered by record timestamp (then partition): a
 * tombstone revokes what came before it, a grant replaces what came before it unless that is a grant of a higher
 * generation (no rollback by replay). Within one partition the offset order is authoritative. Every instance that has
 * read the same records derives the same state. See docs/adr/0004.
 */
public final class GrantLedger {

    /** Where a record was read: partition, offset and record timestamp (epoch millis). */
    public record Position(int partition, long offset, long timestamp) {
    }

    /** What a record did to its key. */
    public enum Change {
        /** The key's state may have changed: reconcile it. */
        CHANGED,
        /** A grant older than the generation already held: ignored (a {@link #takeStale} notice is left). */
        STALE
    }

    /** The latest record of one key in one partition; {@code entry} is null for a tombstone. */
    private record Slot(GrantEntry entry, Position at) {
        boolean tombstone() {
            return entry == null;
        }
    }

    private static final Comparator<Slot> LOG_ORDER = Comparator.<Slot>comparingLong(s -> s.at().timestamp())
            .thenComparingInt(s -> s.at().partition());

    private final Map<GrantKey, Map<Integer, Slot>> slots = new HashMap<>();
    private final Map<GrantKey, Slot> state = new HashMap<>();
    private final Map<GrantKey, Long> stale = new HashMap<>();
    private final Set<String> tenants = new HashSet<>();

    /**
     * Records a grant read at {@code at}. A grant whose generation is lower than the one its partition or the key
     * already holds is stale and changes nothing; an equal generation replaces (a re-post of the same grant).
     */
    public synchronized Change put(GrantEntry entry, Position at) {
        GrantKey key = entry.key();
        Map<Integer, Slot> bySlot = slots.computeIfAbsent(key, k -> new HashMap<>(2));
        Slot previous = bySlot.get(at.partition());
        if (previous != null && !previous.tombstone() && previous.entry().generation() > entry.generation()) {
            stale.put(key, entry.generation());
            return Change.STALE;
        }
        bySlot.put(at.partition(), new Slot(entry, at));
        Slot now = derive(key);
        if (now != null && !now.tombstone() && now.entry().generation() > entry.generation()) {
            stale.put(key, entry.generation());
            return Change.STALE;
        }
        return Change.CHANGED;
    }

    /** A tombstone read at {@code at}: the grants before it are revoked. */
    public synchronized Change revoke(GrantKey key, Position at) {
        slots.computeIfAbsent(key, k -> new HashMap<>(2)).put(at.partition(), new Slot(null, at));
        derive(key);
        return Change.CHANGED;
    }

    /** The grant in force for {@code key}, or null (revoked, or never granted). */
    public synchronized GrantEntry entry(GrantKey key) {
        Slot slot = state.get(key);
        return slot == null ? null : slot.entry();
    }

    /** The key's latest word is a tombstone. */
    public synchronized boolean tombstoned(GrantKey key) {
        Slot slot = state.get(key);
        return slot != null && slot.tombstone();
    }

    /** The generation of the last stale grant read for {@code key} since the last call, if any. */
    public synchronized OptionalLong takeStale(GrantKey key) {
        Long generation = stale.remove(key);
        return generation == null ? OptionalLong.empty() : OptionalLong.of(generation);
    }

    /** Forgets every grant (the topic was replaced and is read again from its beginning). */
    public synchronized void clearGrants() {
        slots.clear();
        state.clear();
        stale.clear();
    }

    /** Records whether a tenant namespace exists; returns the keys of its grants. */
    public synchronized List<GrantKey> tenant(String tenant, boolean exists) {
        if (exists) {
            tenants.add(tenant);
        } else {
            tenants.remove(tenant);
        }
        return state.keySet().stream().filter(k -> k.tenant().equals(tenant)).toList();
    }

    public synchronized boolean tenantExists(String tenant) {
        return tenants.contains(tenant);
    }

    /** Keys of {@code tenant}'s grants and tombstones: what a change of its namespace must reconcile. */
    public synchronized List<GrantKey> keysOf(String tenant) {
        return state.keySet().stream().filter(k -> k.tenant().equals(tenant)).toList();
    }

    /** Keys of grants in force that copy the source Secret {@code name}. */
    public synchronized List<GrantKey> keysUsingSource(String name) {
        List<GrantKey> keys = new ArrayList<>();
        state.forEach((key, slot) -> {
            if (slot.entry() instanceof GrantEntry.Accepted accepted) {
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
        return new HashSet<>(state.keySet());
    }

    public synchronized int size() {
        return state.size();
    }

    /** Replays the key's slots in log order and stores the result. */
    private Slot derive(GrantKey key) {
        Slot current = null;
        List<Slot> ordered = new ArrayList<>(slots.get(key).values());
        ordered.sort(LOG_ORDER);
        for (Slot slot : ordered) {
            boolean olderGrant = !slot.tombstone() && current != null && !current.tombstone()
                    && current.entry().generation() > slot.entry().generation();
            if (!olderGrant) {
                current = slot;
            }
        }
        state.put(key, current);
        return current;
    }
}
