package dev.grantflow.grant.domain;

import java.util.HashMap;
import java.util.Map;

/**
 * Whether a consumer has read its assigned partitions up to the end offsets they had when they were assigned.
 * Partitions are identified by number; thread-safe.
 */
public final class CatchUp {

    private final Map<Integer, Long> target = new HashMap<>();
    private final Map<Integer, Long> consumed = new HashMap<>();
    private boolean assigned;

    /**
     * A new assignment, read from the beginning.
     *
     * @param beginning first offset per partition
     * @param end       end offset (next offset to be written) per partition
     */
    public synchronized void assigned(Map<Integer, Long> beginning, Map<Integer, Long> end) {
        assigned = true;
        end.forEach((partition, endOffset) -> {
            long first = beginning.getOrDefault(partition, 0L);
            target.put(partition, endOffset > first ? endOffset - 1 : -1L);
            consumed.remove(partition);
        });
    }

    public synchronized void revoked(Iterable<Integer> partitions) {
        partitions.forEach(p -> {
            target.remove(p);
            consumed.remove(p);
        });
    }

    public synchronized void consumed(int partition, long offset) {
        consumed.merge(partition, offset, Math::max);
    }

    /** True once an assignment happened and every assigned partition reached its target offset. */
    public synchronized boolean caughtUp() {
        return assigned && target.entrySet().stream()
                .allMatch(e -> e.getValue() < 0 || consumed.getOrDefault(e.getKey(), -1L) >= e.getValue());
    }

    /** Records still to read, summed over partitions (for readiness data). */
    public synchronized long lag() {
        return target.entrySet().stream()
                .mapToLong(e -> Math.max(0, e.getValue() - consumed.getOrDefault(e.getKey(), -1L)))
                .sum();
    }
}
