package dev.grantflow.model.control;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A de-duplicating, delaying, rate-limited work queue for control loops, with the semantics of client-go's
 * {@code workqueue} (its {@code Type}, {@code delayingType} and {@code rateLimitingType}).
 *
 * <p>Kept from client-go:
 * <ul>
 * <li>A key is queued at most once: adding a key that is already ready does nothing (a burst of triggers costs one
 * pass).</li>
 * <li>A key is never handed to two workers at a time: a key added while it is being processed is not handed out
 * again until its worker calls {@link #done}; then it is queued once.</li>
 * <li>Ready keys are handed out in the order they became ready.</li>
 * <li>{@link #addAfter}: at most one waiting entry per key; adding it again while it waits keeps the earlier ready
 * time. A waiting key that becomes due is {@link #add added}, so the rules above apply to it. {@link #add} does not
 * cancel a waiting entry (a key may be ready now and also wait for a later recheck).</li>
 * <li>{@link #addRateLimited} waits as the {@link RateLimiter} says for the key's failure count, then counts one more
 * failure; {@link #forget} resets the count (and does not cancel a waiting entry); {@link #numRequeues} reads it.</li>
 * </ul>
 *
 * <p>Different from client-go:
 * <ul>
 * <li>No thread of its own: waiting keys move to the ready queue when a caller touches the queue at or after their
 * ready time; a blocked {@link #take} wakes up by itself at the earliest ready time.</li>
 * <li>{@link #take} has a timeout, and returns {@code null} on shutdown instead of draining the ready keys first.
 * {@link #shutdown()} drops the ready and the waiting keys; keys being processed stay so until {@link #done}, which
 * no longer re-queues them.</li>
 * <li>The limiter is per key only: no overall token bucket ({@code BucketRateLimiter}); a bounded number of workers
 * is the overall limit. No metrics provider: callers read {@link #depth()} and {@link #waiting()}.</li>
 * <li>{@link #takeBatch} has no client-go counterpart.</li>
 * <li>Ready times are read from a {@link Ticker} (tests move it by hand); {@code take} timeouts are real time.</li>
 * </ul>
 *
 * <p>Thread-safe; every operation holds one lock briefly and never calls out, except to the {@link RateLimiter}.
 *
 * @param <K> the key type (equals and hashCode identify a key)
 */
public final class WorkQueue<K> {

    /** A key that waits to be added, with its ready time on the ticker (relative to {@link #origin}). */
    private record Waiting<K>(K key, long due, long sequence) {
    }

    private static final Duration MAX_NANOS = Duration.ofNanos(Long.MAX_VALUE);

    private final RateLimiter limiter;
    private final Ticker ticker;
    private final long origin;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    private final ArrayDeque<K> ready = new ArrayDeque<>();
    /** Keys that need processing: every ready key, and keys added again while being processed. */
    private final Set<K> dirty = new HashSet<>();
    private final Set<K> processing = new HashSet<>();
    private final Map<K, Waiting<K>> waitingByKey = new HashMap<>();
    private final TreeSet<Waiting<K>> waitingByDue = new TreeSet<>(
            Comparator.<Waiting<K>>comparingLong(Waiting::due).thenComparingLong(Waiting::sequence));
    private final Map<K, Integer> failures = new HashMap<>();
    private long sequence;
    private boolean shutdown;

    /** A queue on the JVM's monotonic clock. */
    public static <K> WorkQueue<K> create(RateLimiter limiter) {
        return new WorkQueue<>(limiter, Ticker.SYSTEM);
    }

    /** A queue whose ready times are read from {@code ticker} (tests pass a ticker they move by hand). */
    public WorkQueue(RateLimiter limiter, Ticker ticker) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.origin = ticker.nanoTime();
    }

    /** Queues {@code key} unless it is already queued; ignored after {@link #shutdown()}. */
    public void add(K key) {
        Objects.requireNonNull(key, "key");
        lock.lock();
        try {
            promoteDue();
            enqueue(key);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues {@code key} once {@code delay} has passed ({@link #add} at once when it is zero or negative). A key waits
     * at most once: if it already waits, the earlier of the two ready times is kept.
     */
    public void addAfter(K key, Duration delay) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(delay, "delay");
        if (delay.isZero() || delay.isNegative()) {
            add(key);
            return;
        }
        lock.lock();
        try {
            if (shutdown) {
                return;
            }
            promoteDue();
            long due = saturatedAdd(now(), nanos(delay));
            Waiting<K> existing = waitingByKey.get(key);
            if (existing != null) {
                if (existing.due() <= due) {
                    return;
                }
                waitingByDue.remove(existing);
            }
            Waiting<K> entry = new Waiting<>(key, due, sequence++);
            waitingByKey.put(key, entry);
            waitingByDue.add(entry);
            if (waitingByDue.first() == entry) {
                changed.signalAll(); // blocked takers wait until the earliest ready time: it moved closer
            }
        } finally {
            lock.unlock();
        }
    }

    /** Queues {@code key} after the limiter's delay for its failure count, then counts one more failure. */
    public void addRateLimited(K key) {
        Objects.requireNonNull(key, "key");
        lock.lock();
        try {
            int attempts = failures.getOrDefault(key, 0);
            addAfter(key, limiter.delay(attempts));
            if (!shutdown) {
                failures.put(key, attempts == Integer.MAX_VALUE ? attempts : attempts + 1);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Resets the failure count of {@code key} (after a success); a waiting entry of the key stays. */
    public void forget(K key) {
        lock.lock();
        try {
            failures.remove(key);
        } finally {
            lock.unlock();
        }
    }

    /** How often {@code key} was {@link #addRateLimited rate-limited} since it was last forgotten. */
    public int numRequeues(K key) {
        lock.lock();
        try {
            return failures.getOrDefault(key, 0);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next ready key, first moving waiting keys that are due to the ready queue; waits up to {@code timeout}
     * (and wakes up when a waiting key becomes due). The caller owns the key until it calls {@link #done} with it.
     *
     * @return the key, or {@code null} after the timeout or on shutdown
     */
    public K take(Duration timeout) throws InterruptedException {
        List<K> keys = takeBatch(1, timeout);
        return keys.isEmpty() ? null : keys.get(0);
    }

    /**
     * As {@link #take}, but hands out up to {@code max} ready keys at once: waits up to {@code timeout} for the first
     * one, then takes whichever others are ready, without waiting for more. Each key is distinct and needs its own
     * {@link #done}.
     *
     * @return the keys in the order they became ready; empty after the timeout or on shutdown
     */
    public List<K> takeBatch(int max, Duration timeout) throws InterruptedException {
        if (max < 1) {
            throw new IllegalArgumentException("max must be 1 or more: " + max);
        }
        long deadline = System.nanoTime() + nanos(Objects.requireNonNull(timeout, "timeout"));
        lock.lock();
        try {
            while (true) {
                if (shutdown) {
                    return List.of();
                }
                promoteDue();
                if (!ready.isEmpty()) {
                    List<K> keys = new ArrayList<>(Math.min(max, ready.size()));
                    while (keys.size() < max && !ready.isEmpty()) {
                        K key = ready.poll();
                        dirty.remove(key);
                        processing.add(key);
                        keys.add(key);
                    }
                    return keys;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return List.of();
                }
                if (!waitingByDue.isEmpty()) {
                    left = Math.min(left, Math.max(1, waitingByDue.first().due() - now()));
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The worker is done with {@code key}; if it was added meanwhile, it is queued again now. */
    public void done(K key) {
        lock.lock();
        try {
            if (processing.remove(key) && !shutdown && dirty.contains(key)) {
                ready.add(key);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every blocked taker; afterwards adds are ignored and nothing is handed out. */
    public void shutdown() {
        lock.lock();
        try {
            shutdown = true;
            ready.clear();
            dirty.clear();
            waitingByKey.clear();
            waitingByDue.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean shuttingDown() {
        lock.lock();
        try {
            return shutdown;
        } finally {
            lock.unlock();
        }
    }

    /** Keys ready to be handed out (not those being processed, not those waiting for a delay). */
    public int depth() {
        lock.lock();
        try {
            promoteDue();
            return ready.size();
        } finally {
            lock.unlock();
        }
    }

    /** Keys waiting for a delay to pass (retries, rechecks). */
    public int waiting() {
        lock.lock();
        try {
            promoteDue();
            return waitingByDue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Nothing is ready and nothing is being processed; keys waiting for a delay do not count. */
    public boolean idle() {
        lock.lock();
        try {
            promoteDue();
            return ready.isEmpty() && processing.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** client-go's {@code Add}; the lock is held. */
    private void enqueue(K key) {
        if (shutdown || !dirty.add(key) || processing.contains(key)) {
            return;
        }
        ready.add(key);
        changed.signalAll();
    }

    /** Adds every waiting key whose ready time has come; the lock is held. */
    private void promoteDue() {
        if (waitingByDue.isEmpty()) {
            return;
        }
        long now = now();
        while (!waitingByDue.isEmpty() && waitingByDue.first().due() <= now) {
            Waiting<K> entry = waitingByDue.pollFirst();
            waitingByKey.remove(entry.key());
            enqueue(entry.key());
        }
    }

    private long now() {
        return ticker.nanoTime() - origin;
    }

    /** A duration in nanoseconds, negative as 0 and beyond about 292 years as {@code Long.MAX_VALUE}. */
    private static long nanos(Duration duration) {
        if (duration.isNegative()) {
            return 0;
        }
        return duration.compareTo(MAX_NANOS) >= 0 ? Long.MAX_VALUE : duration.toNanos();
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : sum;
    }
}
