package dev.grantflow.admission.kube;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Knows when the cache holds the informer's initial LIST. fabric8 marks an informer synced once the LIST is in
 * its own store, but delivers the matching {@code onAdd} notifications to handlers asynchronously, so "synced"
 * alone can mean a half-filled cache (seen in the benchmark: ready with 75 of 100 PodDefaults). The keys in the
 * store at sync time must each have reached a handler (add, update or delete) before readiness goes UP. (With the
 * cache as the informer's store, {@link PreparedItemStore}, the cache is complete once the store is; readiness still
 * waits for the handlers, so that it never depends on how the informer fills its store.)
 *
 * <p>Thread-safety: {@link #handled} runs on the informer's notification thread, {@link #storeSynced} on the
 * thread completing the informer start; a key handled concurrently with {@code storeSynced} is caught by the second
 * {@code removeAll} (it was either added to {@code handled} before it, or sees {@code pending} afterwards).
 */
final class InitialSync {

    private final Set<String> handled = ConcurrentHashMap.newKeySet();
    private volatile Set<String> pending;
    private volatile boolean complete;

    /** A handler processed the object with this {@code namespace/name} key. */
    void handled(String key) {
        if (complete) {
            return;
        }
        handled.add(key);
        Set<String> p = pending;
        if (p != null) {
            p.remove(key);
            if (p.isEmpty()) {
                finish();
            }
        }
    }

    /** The informer reports its store synced; these are the store's keys at that moment. */
    void storeSynced(Collection<String> storeKeys) {
        Set<String> p = ConcurrentHashMap.newKeySet();
        p.addAll(storeKeys);
        p.removeAll(handled);
        pending = p;
        p.removeAll(handled);
        if (p.isEmpty()) {
            finish();
        }
    }

    boolean isComplete() {
        return complete;
    }

    /** Keys of the initial LIST not yet delivered to the cache, or -1 before the informer's store synced. */
    int remaining() {
        Set<String> p = pending;
        return complete ? 0 : p == null ? -1 : p.size();
    }

    private void finish() {
        complete = true;
        handled.clear();
    }
}
