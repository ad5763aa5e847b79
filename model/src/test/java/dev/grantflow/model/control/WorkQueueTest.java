package dev.grantflow.model.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The queue on a fake ticker, every assertion on the test thread. Tests that need threads collect what the threads
 * saw in futures and queues and assert it here; {@code take(Duration.ZERO)} never blocks.
 */
class WorkQueueTest {

    static final Duration BASE = Duration.ofMillis(100);
    static final Duration CAP = Duration.ofSeconds(1);

    final FakeTicker ticker = new FakeTicker();
    final WorkQueue<String> queue = new WorkQueue<>(RateLimiter.exponential(BASE, CAP), ticker);

    @Test
    void aKeyIsQueuedOnceHowEverOftenItIsAdded() throws Exception {
        queue.add("a");
        queue.add("b");
        queue.add("a");
        queue.add("c");
        queue.add("b");

        assertThat(queue.depth()).isEqualTo(3);
        assertThat(poll()).isEqualTo("a");
        assertThat(poll()).isEqualTo("b");
        assertThat(poll()).isEqualTo("c");
        assertThat(poll()).isNull();
    }

    @Test
    void aKeyAddedWhileProcessingIsHandedOutOnlyAfterDoneAndThenOnce() throws Exception {
        queue.add("a");
        String taken = poll();
        queue.add("a");
        queue.add("a");
        queue.add("b");

        assertThat(queue.depth()).as("'a' is dirty, not ready").isEqualTo(1);
        assertThat(poll()).as("a second worker gets 'b', never 'a'").isEqualTo("b");
        assertThat(poll()).isNull();

        queue.done(taken);
        assertThat(poll()).as("re-queued once after done").isEqualTo("a");
        assertThat(poll()).isNull();
        queue.done("a");
        queue.done("b");
        assertThat(poll()).isNull();
        assertThat(queue.idle()).isTrue();
    }

    @Test
    void doneWithoutAnAddMeanwhileDoesNotRequeue() throws Exception {
        queue.add("a");
        queue.done(poll());

        assertThat(poll()).isNull();
        assertThat(queue.idle()).isTrue();
    }

    @Test
    void concurrentWorkersNeverHoldTheSameKeyAtOnce() throws Exception {
        WorkQueue<String> shared = WorkQueue.create(RateLimiter.exponential(BASE, CAP));
        Map<String, AtomicInteger> holders = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> overlaps = new ConcurrentLinkedQueue<>();
        Set<String> handled = ConcurrentHashMap.newKeySet();
        AtomicInteger addsWhileHolding = new AtomicInteger(2_000);
        Callable<Integer> worker = () -> {
            int passes = 0;
            while (true) {
                String key = shared.take(Duration.ofMillis(50));
                if (key == null) {
                    if (shared.shuttingDown()) {
                        return passes;
                    }
                    continue;
                }
                try {
                    if (holders.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() > 1) {
                        overlaps.add(key);
                    }
                    handled.add(key);
                    passes++;
                    if (addsWhileHolding.getAndDecrement() > 0) {
                        // An informer event for the key being processed, and one for another key.
                        shared.add(key);
                        shared.add("key-" + ThreadLocalRandom.current().nextInt(8));
                    }
                    Thread.yield();
                    holders.get(key).decrementAndGet();
                } finally {
                    shared.done(key);
                }
            }
        };
        ExecutorService workers = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(workers.submit(worker));
            }
            for (int round = 0; round < 2_000; round++) {
                shared.add("key-" + round % 8);
            }
            await().atMost(Duration.ofSeconds(30)).until(shared::idle);
            shared.shutdown();
            int passes = 0;
            for (Future<Integer> result : results) {
                passes += result.get(30, TimeUnit.SECONDS);
            }

            assertThat(overlaps).as("keys held by two workers at once").isEmpty();
            assertThat(handled).hasSize(8);
            assertThat(passes).as("de-duplicated: at most one pass per add").isBetween(8, 6_000);
        } finally {
            workers.shutdownNow();
        }
    }

    @Test
    void addAfterHandsTheKeyOutOnceTheDelayHasPassed() throws Exception {
        queue.addAfter("a", Duration.ofSeconds(5));

        assertThat(queue.waiting()).isEqualTo(1);
        assertThat(queue.depth()).isZero();
        ticker.advance(Duration.ofSeconds(5).minusNanos(1));
        assertThat(poll()).isNull();
        ticker.advance(Duration.ofNanos(1));
        assertThat(poll()).isEqualTo("a");
        assertThat(queue.waiting()).isZero();
    }

    @Test
    void aZeroOrNegativeDelayAddsAtOnce() throws Exception {
        queue.addAfter("a", Duration.ZERO);
        queue.addAfter("b", Duration.ofSeconds(-1));

        assertThat(queue.waiting()).isZero();
        assertThat(poll()).isEqualTo("a");
        assertThat(poll()).isEqualTo("b");
    }

    @Test
    void aWaitingKeyKeepsTheEarlierReadyTime() throws Exception {
        queue.addAfter("sooner-second", Duration.ofSeconds(10));
        queue.addAfter("sooner-second", Duration.ofSeconds(1));
        queue.addAfter("sooner-first", Duration.ofSeconds(1));
        queue.addAfter("sooner-first", Duration.ofSeconds(10));
        assertThat(queue.waiting()).isEqualTo(2);

        ticker.advance(Duration.ofSeconds(1));

        assertThat(List.of(poll(), poll())).containsExactlyInAnyOrder("sooner-first", "sooner-second");
        assertThat(queue.waiting()).as("the later entries were not kept").isZero();
        ticker.advance(Duration.ofSeconds(10));
        assertThat(poll()).isNull();
    }

    @Test
    void thousandsOfDelaysForAFewKeysKeepOneWaitingEntryPerKey() throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 10_000; i++) {
            queue.addAfter("key-" + i % 7, Duration.ofMillis(1 + random.nextInt(60_000)));
            if (i % 1_000 == 0) {
                assertThat(queue.waiting()).isLessThanOrEqualTo(7);
            }
        }
        assertThat(queue.waiting()).isEqualTo(7);

        ticker.advance(Duration.ofMinutes(1));

        List<String> taken = new ArrayList<>();
        for (String key = poll(); key != null; key = poll()) {
            taken.add(key);
        }
        assertThat(taken).hasSize(7).doesNotHaveDuplicates();
        assertThat(queue.waiting()).isZero();
    }

    @Test
    void delayedKeysBecomeReadyInTheOrderOfTheirReadyTimes() throws Exception {
        queue.addAfter("late", Duration.ofSeconds(3));
        queue.addAfter("early", Duration.ofSeconds(1));
        queue.addAfter("middle", Duration.ofSeconds(2));

        ticker.advance(Duration.ofSeconds(3));

        assertThat(List.of(poll(), poll(), poll())).containsExactly("early", "middle", "late");
    }

    @Test
    void addDoesNotCancelAWaitingRecheck() throws Exception {
        queue.addAfter("a", Duration.ofSeconds(30));
        queue.add("a");
        queue.done(poll());

        assertThat(queue.waiting()).isEqualTo(1);
        ticker.advance(Duration.ofSeconds(30));
        assertThat(poll()).as("the recheck still happens").isEqualTo("a");
    }

    @Test
    void aDelayedKeyThatBecomesDueWhileProcessingWaitsForDone() throws Exception {
        queue.add("a");
        String taken = poll();
        queue.addAfter("a", Duration.ofSeconds(1));
        ticker.advance(Duration.ofSeconds(1));

        assertThat(poll()).isNull();
        assertThat(queue.waiting()).isZero();

        queue.done(taken);
        assertThat(poll()).isEqualTo("a");
    }

    @Test
    void addRateLimitedDoublesTheDelayPerFailureUpToTheCap() throws Exception {
        List<Duration> expected = List.of(ms(100), ms(200), ms(400), ms(800), ms(1000), ms(1000));
        for (int failure = 0; failure < expected.size(); failure++) {
            assertThat(queue.numRequeues("a")).isEqualTo(failure);
            queue.addRateLimited("a");
            assertThat(queue.numRequeues("a")).isEqualTo(failure + 1);
            assertHandedOutAfterExactly("a", expected.get(failure));
            queue.done("a");
        }
    }

    @Test
    void failureCountsArePerKey() throws Exception {
        queue.addRateLimited("a");
        queue.addRateLimited("a");
        queue.addRateLimited("b");

        assertThat(queue.numRequeues("a")).isEqualTo(2);
        assertThat(queue.numRequeues("b")).isEqualTo(1);
        assertThat(queue.numRequeues("c")).isZero();
    }

    @Test
    void forgetResetsTheFailureCount() throws Exception {
        for (int i = 0; i < 3; i++) {
            queue.addRateLimited("a");
            ticker.advance(CAP);
            queue.done(poll());
        }
        assertThat(queue.numRequeues("a")).isEqualTo(3);

        queue.forget("a");

        assertThat(queue.numRequeues("a")).isZero();
        queue.addRateLimited("a");
        assertHandedOutAfterExactly("a", BASE);
    }

    @Test
    void takeBatchHandsOutSeveralReadyKeysEachUntilDone() throws Exception {
        queue.add("a");
        queue.add("b");
        queue.add("c");
        queue.addAfter("d", Duration.ofSeconds(1));
        ticker.advance(Duration.ofSeconds(1));

        assertThat(queue.takeBatch(2, Duration.ZERO)).containsExactly("a", "b");
        queue.add("a");
        assertThat(queue.takeBatch(10, Duration.ZERO)).as("'a' is still processing").containsExactly("c", "d");
        assertThat(queue.takeBatch(10, Duration.ZERO)).isEmpty();

        queue.done("a");
        assertThat(queue.takeBatch(10, Duration.ZERO)).containsExactly("a");
        assertThat(queue.idle()).isFalse();
        List.of("a", "b", "c", "d").forEach(queue::done);
        assertThat(queue.idle()).isTrue();
        assertThatThrownBy(() -> queue.takeBatch(0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void depthWaitingAndIdleCountWhatTheySay() throws Exception {
        assertCounts(0, 0, true);

        queue.addAfter("later", Duration.ofSeconds(1));
        assertCounts(0, 1, true); // waiting keys do not make the queue busy

        queue.add("a");
        queue.add("b");
        assertCounts(2, 1, false);

        String a = poll();
        assertCounts(1, 1, false);
        queue.done(poll());
        assertCounts(0, 1, false); // 'a' is still being processed
        queue.done(a);
        assertCounts(0, 1, true);

        ticker.advance(Duration.ofSeconds(1));
        assertCounts(1, 0, false); // due: ready now
        queue.done(poll());
        assertCounts(0, 0, true);
    }

    @Test
    void shutdownWakesABlockedTakerAndIgnoresLaterAdds() throws Exception {
        queue.addAfter("waiting", Duration.ofHours(1));
        CompletableFuture<String> result = new CompletableFuture<>();
        AtomicLong blockedFor = new AtomicLong();
        Thread taker = new Thread(() -> {
            long start = System.nanoTime();
            try {
                result.complete(queue.take(Duration.ofSeconds(60)));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
            blockedFor.set(System.nanoTime() - start);
        }, "blocked-taker");
        taker.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> taker.getState() == Thread.State.TIMED_WAITING);

        queue.shutdown();

        assertThat(result.get(10, TimeUnit.SECONDS)).isNull();
        taker.join(10_000);
        assertThat(Duration.ofNanos(blockedFor.get())).isLessThan(Duration.ofSeconds(30));
        assertThat(queue.shuttingDown()).isTrue();
        queue.add("late");
        queue.addAfter("late", Duration.ofSeconds(1));
        queue.addRateLimited("late");
        assertThat(queue.depth()).isZero();
        assertThat(queue.waiting()).isZero();
        assertThat(poll()).isNull();
    }

    @Test
    void readyKeysAreNotHandedOutAfterShutdown() throws Exception {
        queue.add("a");
        queue.add("b");
        String taken = poll();

        queue.shutdown();

        assertThat(poll()).isNull();
        queue.add(taken);
        queue.done(taken);
        assertThat(queue.depth()).isZero();
        assertThat(queue.idle()).isTrue();
    }

    @Test
    void aBlockedTakeWakesUpWhenADelayedKeyBecomesDue() throws Exception {
        WorkQueue<String> real = WorkQueue.create(RateLimiter.exponential(BASE, CAP));
        long start = System.nanoTime();
        real.addAfter("a", Duration.ofMillis(200));

        String taken = real.take(Duration.ofSeconds(30));

        Duration blocked = Duration.ofNanos(System.nanoTime() - start);
        assertThat(taken).isEqualTo("a");
        assertThat(blocked).isGreaterThanOrEqualTo(Duration.ofMillis(200)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aBlockedTakeWakesUpWhenAnEarlierKeyIsDelayedMeanwhile() throws Exception {
        WorkQueue<String> real = WorkQueue.create(RateLimiter.exponential(BASE, CAP));
        real.addAfter("much-later", Duration.ofMinutes(10));
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread taker = new Thread(() -> {
            try {
                result.complete(real.take(Duration.ofMinutes(5)));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "blocked-taker");
        taker.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> taker.getState() == Thread.State.TIMED_WAITING);

        real.addAfter("soon", Duration.ofMillis(100));

        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("soon");
    }

    @Test
    void aBlockedTakeWakesUpWhenAKeyIsAdded() throws Exception {
        WorkQueue<String> real = WorkQueue.create(RateLimiter.exponential(BASE, CAP));
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread taker = new Thread(() -> {
            try {
                result.complete(real.take(Duration.ofMinutes(5)));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "blocked-taker");
        taker.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> taker.getState() == Thread.State.TIMED_WAITING);

        real.add("a");

        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("a");
    }

    @Test
    void takeReturnsNullAfterItsTimeout() throws Exception {
        long start = System.nanoTime();

        assertThat(queue.take(Duration.ofMillis(50))).isNull();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
    }

    /** Not ready a nanosecond before {@code delay}, handed out at {@code delay}. */
    private void assertHandedOutAfterExactly(String key, Duration delay) throws InterruptedException {
        ticker.advance(delay.minusNanos(1));
        assertThat(poll()).as("%s before %s", key, delay).isNull();
        ticker.advance(Duration.ofNanos(1));
        assertThat(poll()).as("%s after %s", key, delay).isEqualTo(key);
    }

    private void assertCounts(int depth, int waiting, boolean idle) {
        assertThat(queue.depth()).as("depth").isEqualTo(depth);
        assertThat(queue.waiting()).as("waiting").isEqualTo(waiting);
        assertThat(queue.idle()).as("idle").isEqualTo(idle);
    }

    private String poll() throws InterruptedException {
        return queue.take(Duration.ZERO);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
