package dev.grantflow.grant.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The reconciler's own writes that its informer cache does not show yet (client-go controllers call these
 * "expectations").
 *
 * <p>Plans are taken on the cache, and right after a write the cache may still show the state before it: a plan
 * taken then repeats the write (a create answered 409, an update on a stale version, each costing more API calls). So
 * after writing, the reconciler records, per object, the resourceVersion its write was based on (none for a create),
 * and a later reconcile of the key waits until the cache has moved past each of them: the object shows up (create),
 * or shows another version or none (update, delete). Waiting costs nothing, because the informer's event for the
 * write enqueues the key again; the deadline bounds the wait when no such event comes (e.g. an object created and at
 * once deleted by someone else).
 *
 * @param <K> the key type
 */
public final class WriteExpectations<K> {

    private record Pending(Map<String, Optional<String>> basedOn, Instant deadline) {
    }

    private final Map<K, Pending> pending = new ConcurrentHashMap<>();
    private final Duration timeout;

    public WriteExpectations(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Records the writes just made for {@code key}, replacing what was recorded before.
     *
     * @param basedOn object id -> the resourceVersion the write was based on, empty for a create
     */
    public void expect(K key, Map<String, Optional<String>> basedOn, Instant now) {
        if (basedOn.isEmpty()) {
            pending.remove(key);
        } else {
            pending.put(key, new Pending(Map.copyOf(basedOn), now.plus(timeout)));
        }
    }

    /**
     * Empty when the cache shows every write recorded for {@code key} (which is then forgotten), or when they timed
     * out; otherwise the deadline after which the key should be reconciled even so.
     *
     * @param cachedVersion object id -> its resourceVersion in the cache, or null when the cache has no such object
     */
    public Optional<Instant> unmetUntil(K key, Function<String, String> cachedVersion, Instant now) {
        Pending writes = pending.get(key);
        if (writes == null) {
            return Optional.empty();
        }
        boolean met = !now.isBefore(writes.deadline()) || writes.basedOn().entrySet().stream()
                .allMatch(e -> shows(cachedVersion.apply(e.getKey()), e.getValue()));
        if (met) {
            pending.remove(key, writes);
            return Optional.empty();
        }
        return Optional.of(writes.deadline());
    }

    /** The number of keys with writes the cache does not show yet. */
    public int size() {
        return pending.size();
    }

    private static boolean shows(String cached, Optional<String> basedOn) {
        return basedOn.isEmpty() ? cached != null : !Objects.equals(cached, basedOn.get());
    }
}
