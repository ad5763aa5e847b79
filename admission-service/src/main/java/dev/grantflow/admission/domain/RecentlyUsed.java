package dev.grantflow.admission.domain;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * A bounded table of values made from keys, found by key identity: at most {@code buckets x WAYS} values are held,
 * and a value is made again only when its key is not among them. Lock-free; a race can only make a value twice.
 *
 * <p>Set-associative: a key hashes to one bucket of {@link #WAYS} slots, and a key made anew takes an empty slot of
 * its bucket or else a random one. Keys that share a bucket therefore stay side by side: a value is made again only
 * when more than {@code WAYS} keys of one bucket are in use at once, or others displaced it. A table with one slot
 * per hash (the form before this one) made the values of two keys in use together again on every use, for as long
 * as both were used, when their hashes fell on the same slot.
 */
final class RecentlyUsed<K, V> {

    /** Slots per bucket. */
    static final int WAYS = 4;

    private record Entry<K, V>(K key, V value) {
    }

    private final AtomicReferenceArray<Entry<K, V>> slots;
    private final int bucketMask;
    private final ToIntFunction<K> hash;

    /**
     * @param buckets a power of two
     * @param hash    where a key goes; any function of the key (collisions cost only room)
     */
    RecentlyUsed(int buckets, ToIntFunction<K> hash) {
        if (buckets <= 0 || Integer.bitCount(buckets) != 1) {
            throw new IllegalArgumentException("buckets must be a power of two: " + buckets);
        }
        this.slots = new AtomicReferenceArray<>(buckets * WAYS);
        this.bucketMask = buckets - 1;
        this.hash = hash;
    }

    /** By identity hash, spread so that the low bits of nearby hashes do not all land in a few buckets. */
    static <K, V> RecentlyUsed<K, V> byIdentity(int buckets) {
        return new RecentlyUsed<>(buckets, key -> {
            int h = System.identityHashCode(key);
            return h ^ (h >>> 16);
        });
    }

    /** The value held for {@code key} (the same key instance), or one made by {@code make} and held from now on. */
    V get(K key, Function<? super K, ? extends V> make) {
        int first = (hash.applyAsInt(key) & bucketMask) * WAYS;
        int empty = -1;
        for (int i = first; i < first + WAYS; i++) {
            Entry<K, V> e = slots.get(i);
            if (e == null) {
                empty = empty < 0 ? i : empty;
            } else if (e.key() == key) {
                return e.value();
            }
        }
        V value = make.apply(key);
        int slot = empty >= 0 ? empty : first + ThreadLocalRandom.current().nextInt(WAYS);
        slots.set(slot, new Entry<>(key, value));
        return value;
    }
}
