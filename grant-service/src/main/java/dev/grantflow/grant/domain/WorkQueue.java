package dev.grantflow.grant.domain;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A de-duplicating work queue with the semantics of client-go's workqueue: a key is queued at most once, and never
 * handed to two workers at a time; a key added while it is being processed is queued again when that worker is
 * done. Workers therefore never race on one grant, and a burst of triggers for one key costs one reconcile.
 *
 * @param <K> the key type
 */
public final class WorkQueue<K> {

    private final LinkedHashSet<K> queue = new LinkedHashSet<>();
    private final Set<K> processing = new HashSet<>();
    private final Set<K> dirty = new HashSet<>();
    private boolean shutdown;

    public synchronized void add(K key) {
        if (shutdown) {
            return;
        }
        if (processing.contains(key)) {
            dirty.add(key);
            return;
        }
        if (queue.add(key)) {
            notifyAll();
        }
    }

    /** The next key, or null on shutdown or after the timeout. The caller must call {@link #done} with it. */
    public synchronized K take(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (queue.isEmpty() && !shutdown) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        if (shutdown) {
            return null;
        }
        var it = queue.iterator();
        K key = it.next();
        it.remove();
        processing.add(key);
        return key;
    }

    public synchronized void done(K key) {
        processing.remove(key);
        if (dirty.remove(key) && !shutdown) {
            queue.add(key);
            notifyAll();
        }
    }

    /** Keys waiting (not counting keys being processed). */
    public synchronized int depth() {
        return queue.size();
    }

    public synchronized boolean idle() {
        return queue.isEmpty() && processing.isEmpty();
    }

    public synchronized void shutdown() {
        shutdown = true;
        notifyAll();
    }
}
