package dev.grantflow.admission.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RecentlyUsedTest {

    /** Keys compared by identity, as the table does; {@code name} only for messages. */
    private record Key(String name) {
    }

    /** Counts what {@code make} was asked for, per key. */
    private static final class Maker implements Function<Key, String> {
        final Map<Key, Integer> made = new HashMap<>();

        @Override
        public synchronized String apply(Key key) {
            made.merge(key, 1, Integer::sum);
            return "value of " + key.name();
        }

        synchronized int total() {
            return made.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    @Test
    void keysWhoseHashesCollideAreEachMadeOnceWhileUsedInTurn() {
        // The case the former one-slot-per-hash table got wrong: two keys in use together, same slot.
        RecentlyUsed<Key, String> table = new RecentlyUsed<>(64, key -> 68);
        Maker maker = new Maker();
        Key a = new Key("a");
        Key b = new Key("b");
        for (int i = 0; i < 100; i++) {
            assertEquals("value of a", table.get(a, maker));
            assertEquals("value of b", table.get(b, maker));
        }
        assertEquals(Map.of(a, 1, b, 1), maker.made);
    }

    @Test
    void aFullBucketHoldsAsManyKeysAsItHasWays() {
        RecentlyUsed<Key, String> table = new RecentlyUsed<>(1, key -> 0);
        Maker maker = new Maker();
        List<Key> keys = new ArrayList<>();
        for (int i = 0; i < RecentlyUsed.WAYS; i++) {
            keys.add(new Key("k" + i));
        }
        for (int round = 0; round < 50; round++) {
            for (Key k : keys) {
                assertEquals("value of " + k.name(), table.get(k, maker));
            }
        }
        assertEquals(RecentlyUsed.WAYS, maker.total());
    }

    @Test
    void moreKeysThanRoomAreMadeAgainButNeverAnswerForEachOther() {
        RecentlyUsed<Key, String> table = new RecentlyUsed<>(1, key -> 0);
        Maker maker = new Maker();
        List<Key> keys = new ArrayList<>();
        for (int i = 0; i < RecentlyUsed.WAYS + 3; i++) {
            keys.add(new Key("k" + i));
        }
        for (int round = 0; round < 50; round++) {
            for (Key k : keys) {
                assertEquals("value of " + k.name(), table.get(k, maker));
            }
        }
        // Bounded room: four keys held at most, so each round after the first makes at least three again.
        assertTrue(maker.total() >= keys.size() + 49 * 3, "made " + maker.total() + " times");
    }

    @Test
    void equalKeysThatAreDistinctInstancesAreDistinctEntries() {
        RecentlyUsed<Key, String> table = RecentlyUsed.byIdentity(64);
        Maker maker = new Maker();
        Key one = new Key("same");
        Key other = new Key("same");
        String first = table.get(one, maker);
        assertSame(first, table.get(one, maker));
        table.get(other, maker);
        assertEquals(2, maker.total());
    }

    @Test
    void concurrentUsersAlwaysGetTheirOwnKeysValue() throws Exception {
        RecentlyUsed<Key, String> table = new RecentlyUsed<>(2, key -> key.name().length());
        Maker maker = new Maker();
        List<Key> keys = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            keys.add(new Key("k".repeat(1 + i % 3) + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> wrong = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                wrong.add(pool.submit(() -> {
                    List<String> mismatches = new ArrayList<>();
                    for (int i = 0; i < 20_000; i++) {
                        Key k = keys.get((i + offset) % keys.size());
                        String v = table.get(k, maker);
                        if (!v.equals("value of " + k.name())) {
                            mismatches.add(k.name() + " -> " + v);
                        }
                    }
                    return mismatches;
                }));
            }
            for (Future<List<String>> f : wrong) {
                assertEquals(List.of(), f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void bucketsMustBeAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new RecentlyUsed<Key, String>(3, key -> 0));
        assertThrows(IllegalArgumentException.class, () -> new RecentlyUsed<Key, String>(0, key -> 0));
    }
}
