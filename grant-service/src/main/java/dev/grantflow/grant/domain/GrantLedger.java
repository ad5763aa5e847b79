package dev.grantflow.grant.domain;

import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.kubernetes.CompiledLabelSelector;
import dev.grantflow.model.grant.SecretSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /** Most keys whose only records failed authentication that are remembered (for their Rejected status). */
    public static final int REFUSED_MAX = 10_000;

    private static final Comparator<Slot> LOG_ORDER = Comparator.<Slot>comparingLong(s -> s.at().timestamp())
            .thenComparingInt(s -> s.at().partition());

    private final Map<GrantKey, Map<Integer, Slot>> slots = new HashMap<>();
    private final Map<GrantKey, Slot> state = new HashMap<>();
    private final Map<GrantKey, Long> stale = new HashMap<>();
    private final Map<GrantKey, GrantEntry.Rejected> refused = new java.util.LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<GrantKey, GrantEntry.Rejected> eldest) {
            return size() > REFUSED_MAX;
        }
    };
    private final Set<String> tenants = new HashSet<>();
    /** Keys in {@link #state} by tenant (selector grants under {@code *}): a tenant's keys without a scan. */
    private final Map<String, Set<GrantKey>> byTenant = new HashMap<>();
    /** The selector grants whose record in force is an accepted grant, with their compiled selectors. */
    private final Map<GrantKey, SelectorGrant> selectors = new HashMap<>();

    /** A selector grant in force: its grant and its selector compiled once. */
    public record SelectorGrant(GrantKey key, Grant grant, CompiledLabelSelector selector) {
    }

    /**
     * What the ledger holds for a key, read in one step with the grants topic it came from: {@link #entry},
     * {@link #tombstoned} and {@link #grantsTopic}.
     */
    public record Held(GrantEntry entry, boolean tombstoned, String grantsTopic) {
    }

    /** Kafka's id of the grants topic the entries come from; null before the view first reached it. */
    private String grantsTopic;

    /**
     * Records a grant or a signed revocation read at {@code at}. A record that the key's state in force outranks
     * ({@link #outranked}) is stale and changes nothing: a lower generation, or a grant of the generation a revocation
     * already revoked. An equal generation of a grant replaces (a re-post of the same grant).
     */
    public synchronized Change put(GrantEntry entry, Position at) {
        GrantKey key = entry.key();
        Map<Integer, Slot> bySlot = slots.computeIfAbsent(key, k -> new HashMap<>(2));
        Slot previous = bySlot.get(at.partition());
        Slot slot = new Slot(entry, at);
        if (outranked(previous, slot)) {
            stale.put(key, entry.generation());
            return Change.STALE;
        }
        bySlot.put(at.partition(), slot);
        Slot now = derive(key);
        if (now != slot && outranked(now, slot)) {
            stale.put(key, entry.generation());
            return Change.STALE;
        }
        return Change.CHANGED;
    }

    /**
     * Records a record that failed authentication (unsigned, badly signed, out of scope, or under another key): it
     * never replaces what the key holds; it is only reported while the key holds nothing authentic. At most
     * {@value #REFUSED_MAX} such keys are remembered.
     */
    public synchronized void refuse(GrantEntry.Rejected entry) {
        refused.put(entry.key(), entry);
    }

    /** A tombstone read at {@code at}: the grants before it are revoked. */
    public synchronized Change revoke(GrantKey key, Position at) {
        slots.computeIfAbsent(key, k -> new HashMap<>(2)).put(at.partition(), new Slot(null, at));
        derive(key);
        return Change.CHANGED;
    }

    /**
     * The record in force for {@code key}: a grant (accepted or rejected), a signed revocation, or, while the key holds
     * nothing authentic, the last record refused for it; null after a tombstone or when nothing was read.
     */
    public synchronized GrantEntry entry(GrantKey key) {
        Slot slot = state.get(key);
        if (slot == null) {
            return refused.get(key);
        }
        return slot.entry();
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

    /** {@link #entry}, {@link #tombstoned} and {@link #grantsTopic} of {@code key} at one instant. */
    public synchronized Held held(GrantKey key) {
        return new Held(entry(key), tombstoned(key), grantsTopic);
    }

    /** Kafka's id of the grants topic the entries come from, or null before the view first reached it. */
    public synchronized String grantsTopic() {
        return grantsTopic;
    }

    /**
     * The view reads topic {@code topicId} from now on. Entries of another topic (one deleted and re-created under
     * the same name) are forgotten in the same step, so that no reconcile sees the old topic's grants under the new
     * topic's id (and makes copies that the new topic would then collect), nor the new topic's empty state under the
     * old id (and collects what the old topic made). Returns whether entries were forgotten.
     */
    public synchronized boolean readsTopic(String topicId) {
        boolean replaced = grantsTopic != null && !grantsTopic.equals(topicId);
        if (replaced) {
            clearGrants();
        }
        grantsTopic = topicId;
        return replaced;
    }

    /** Forgets every grant (the topic was replaced and is read again from its beginning). */
    public synchronized void clearGrants() {
        slots.clear();
        state.clear();
        byTenant.clear();
        selectors.clear();
        stale.clear();
        refused.clear();
    }

    /** Records whether a tenant namespace exists. */
    public synchronized void tenant(String tenant, boolean exists) {
        if (exists) {
            tenants.add(tenant);
        } else {
            tenants.remove(tenant);
        }
    }

    public synchronized boolean tenantExists(String tenant) {
        return tenants.contains(tenant);
    }

    /**
     * Keys of {@code tenant}'s grants and tombstones, and of the records refused for it: what a change of its namespace
     * must reconcile (a selector grant's copies there are the reconciler's to add). Costs the tenant's keys, not all.
     */
    public synchronized List<GrantKey> keysOf(String tenant) {
        List<GrantKey> keys = new ArrayList<>(byTenant.getOrDefault(tenant, Set.of()));
        refused.keySet().stream().filter(k -> k.tenant().equals(tenant) && !state.containsKey(k)).forEach(keys::add);
        return keys;
    }

    /** The selector grants in force (accepted grants under a {@code *}-key), each with its compiled selector. */
    public synchronized List<SelectorGrant> selectorGrants() {
        return List.copyOf(selectors.values());
    }

    /** Whether a record read names a selector grant (one only refused is not counted: it has no copies). */
    public synchronized boolean hasSelectorKeys() {
        return byTenant.containsKey(GrantKey.ANY_TENANT);
    }

    /** The selector grant {@code key} while it is in force (an accepted grant), with its compiled selector. */
    public synchronized Optional<SelectorGrant> selectorGrant(GrantKey key) {
        return Optional.ofNullable(selectors.get(key));
    }

    /** Every key that names a selector grant: in force, revoked, rejected, tombstoned or refused. */
    public synchronized List<GrantKey> selectorKeys() {
        List<GrantKey> keys = new ArrayList<>(byTenant.getOrDefault(GrantKey.ANY_TENANT, Set.of()));
        refused.keySet().stream().filter(k -> k.isSelector() && !state.containsKey(k)).forEach(keys::add);
        return keys;
    }

    /** The accepted grants to {@code tenant} in force (not selector grants): what a selector grant's copy yields to. */
    public synchronized List<Grant> tenantGrants(String tenant) {
        List<Grant> grants = new ArrayList<>();
        for (GrantKey key : byTenant.getOrDefault(tenant, Set.of())) {
            Slot slot = state.get(key);
            if (slot != null && slot.entry() instanceof GrantEntry.Accepted accepted) {
                grants.add(accepted.grant());
            }
        }
        return grants;
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

    /** Every key with a grant, a revocation, a tombstone or a refused record. */
    public synchronized Set<GrantKey> keys() {
        Set<GrantKey> keys = new HashSet<>(state.keySet());
        keys.addAll(refused.keySet());
        return keys;
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
            if (!outranked(current, slot)) {
                current = slot;
            }
        }
        state.put(key, current);
        byTenant.computeIfAbsent(key.tenant(), t -> new HashSet<>()).add(key);
        if (key.isSelector()) {
            if (current != null && current.entry() instanceof GrantEntry.Accepted accepted) {
                selectors.put(key, new SelectorGrant(key, accepted.grant(),
                        CompiledLabelSelector.compile(accepted.grant().metadata().tenantSelector())));
            } else {
                selectors.remove(key);
            }
        }
        return current;
    }

    /**
     * Whether {@code held} keeps {@code next} from taking over: both are records with a generation (tombstones never
     * outrank and are never outranked: the later one wins), and {@code next} has a lower generation, or is a grant of
     * the generation {@code held} revoked.
     */
    private static boolean outranked(Slot held, Slot next) {
        if (held == null || held.tombstone() || next.tombstone()) {
            return false;
        }
        long heldGeneration = held.entry().generation();
        long nextGeneration = next.entry().generation();
        return nextGeneration < heldGeneration || (nextGeneration == heldGeneration
                && held.entry() instanceof GrantEntry.Revoked && !(next.entry() instanceof GrantEntry.Revoked));
    }
}
