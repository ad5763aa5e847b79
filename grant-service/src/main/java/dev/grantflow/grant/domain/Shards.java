package dev.grantflow.grant.domain;

import dev.grantflow.model.grant.GrantKey;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which grant keys this instance acts on. The key space is split into as many shards as the grants topic has
 * partitions, by Grantflow's own hash of the key: <em>never</em> by the partition a record landed in, which depends on
 * the producer's partitioner. Shards are handed out by the Kafka consumer group of the grants topic (its partition
 * numbers serve as shard numbers), so no two members hold one shard at a time.
 *
 * <p>A newly assigned shard is not acted on until this instance's view of the grants topic has read every partition
 * up to the end offsets seen at the assignment: only then does the view hold every record the previous owner acted
 * on, and "no grant for this key" means no grant anywhere. Pure and thread-safe; see docs/adr/0004.
 */
public final class Shards {

    private final Map<Integer, Map<Integer, Long>> pending = new HashMap<>();
    private final Set<Integer> active = new HashSet<>();
    private int count;
    private boolean assignedOnce;

    /**
     * The shard of {@code key} among {@code count} shards (FNV-1a over the key's UTF-8 bytes). A selector grant's copy
     * falls into its selector grant's shard ({@link GrantKey#grantKey()}): one instance reconciles a selector grant's
     * copies and tallies them into its status.
     */
    public static int shardOf(GrantKey key, int count) {
        int hash = 0x811c9dc5;
        for (byte b : key.grantKey().format().getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return Math.floorMod(hash, count);
    }

    /**
     * Shards assigned to this instance.
     *
     * @param shardCount the number of shards (partitions of the grants topic)
     * @param endOffsets the end offset of every grants partition at the moment of the assignment
     */
    public synchronized void assigned(Collection<Integer> shards, int shardCount, Map<Integer, Long> endOffsets) {
        count = shardCount;
        assignedOnce = true;
        for (int shard : shards) {
            active.remove(shard);
            pending.put(shard, Map.copyOf(endOffsets));
        }
    }

    /** Shards taken away (revoked or lost); returns those that were active. */
    public synchronized Set<Integer> revoked(Collection<Integer> shards) {
        Set<Integer> wereActive = new HashSet<>();
        for (int shard : shards) {
            pending.remove(shard);
            if (active.remove(shard)) {
                wereActive.add(shard);
            }
        }
        return wereActive;
    }

    /**
     * Activates the pending shards whose targets the view has reached.
     *
     * @param positions the view's position (next offset to read) per grants partition
     * @return the shards activated by this call
     */
    public synchronized Set<Integer> activate(Map<Integer, Long> positions) {
        Set<Integer> activated = new TreeSet<>();
        pending.entrySet().removeIf(e -> {
            boolean reached = e.getValue().entrySet().stream()
                    .allMatch(t -> positions.getOrDefault(t.getKey(), 0L) >= t.getValue());
            if (reached) {
                activated.add(e.getKey());
            }
            return reached;
        });
        active.addAll(activated);
        return activated;
    }

    /**
     * The view starts over (the topic was replaced): every held shard waits again, for {@code endOffsets} of the new
     * topic.
     */
    public synchronized void rewind(Map<Integer, Long> endOffsets) {
        Set<Integer> held = new HashSet<>(active);
        held.addAll(pending.keySet());
        active.clear();
        held.forEach(shard -> pending.put(shard, Map.copyOf(endOffsets)));
    }

    /** This instance acts on {@code key} now. */
    public synchronized boolean owns(GrantKey key) {
        return count > 0 && active.contains(shardOf(key, count));
    }

    /** Whether {@code key} falls into one of {@code shards}. */
    public synchronized boolean inShards(GrantKey key, Set<Integer> shards) {
        return count > 0 && shards.contains(shardOf(key, count));
    }

    /**
     * The group has assigned this instance its shards (possibly none: a standby) and every one of them is active:
     * reconciling all keys now covers every key this instance acts on.
     */
    public synchronized boolean settled() {
        return assignedOnce && pending.isEmpty();
    }

    public synchronized Set<Integer> active() {
        return new TreeSet<>(active);
    }

    public synchronized Set<Integer> pending() {
        return new TreeSet<>(pending.keySet());
    }
}
