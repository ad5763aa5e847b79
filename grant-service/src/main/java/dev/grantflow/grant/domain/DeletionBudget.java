package dev.grantflow.grant.domain;

import dev.grantflow.model.grant.GrantKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Bounds the deletions that no record asked for (collection of copies whose grant is gone, or whose namespace is no
 * longer a tenant): at most {@code perInterval} grant keys per {@code interval}. Revocations and expiry are not
 * counted: a tombstone or an {@code expiresAt} asks for them. The keys held back are remembered, so that they can be
 * reported; an empty or replaced topic therefore never deletes every managed copy at once. Pure and thread-safe.
 */
public final class DeletionBudget {

    private final int perInterval;
    private final Duration interval;
    private final Set<GrantKey> held = new HashSet<>();
    private Instant windowStart = Instant.EPOCH;
    private int spent;

    public DeletionBudget(int perInterval, Duration interval) {
        if (perInterval < 0 || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("a budget needs perInterval >= 0 and a positive interval");
        }
        this.perInterval = perInterval;
        this.interval = interval;
    }

    /** Takes one deletion for {@code key} from the budget; false (and the key is held) when it is spent. */
    public synchronized boolean take(GrantKey key, Instant now) {
        if (!now.isBefore(windowStart.plus(interval))) {
            windowStart = now;
            spent = 0;
        }
        if (spent < perInterval) {
            spent++;
            held.remove(key);
            return true;
        }
        held.add(key);
        return false;
    }

    /** The key needs no collection any more (its grant returned, or its copies are gone). */
    public synchronized void release(GrantKey key) {
        held.remove(key);
    }

    /** When the budget has room again. */
    public synchronized Instant nextWindow() {
        return windowStart.plus(interval);
    }

    public synchronized int heldCount() {
        return held.size();
    }

    public Duration interval() {
        return interval;
    }
}
