package dev.grantflow.grant.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkQueueTest {

    final WorkQueue<String> queue = new WorkQueue<>();

    @Test
    void aKeyIsQueuedOnceHowEverOftenItIsAdded() throws Exception {
        queue.add("a");
        queue.add("b");
        queue.add("a");
        assertThat(queue.depth()).isEqualTo(2);
        assertThat(queue.take(1, TimeUnit.MILLISECONDS)).isEqualTo("a");
        assertThat(queue.take(1, TimeUnit.MILLISECONDS)).isEqualTo("b");
        assertThat(queue.take(1, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aKeyBeingProcessedIsNotHandedOutAgainUntilDone() throws Exception {
        queue.add("a");
        String taken = queue.take(1, TimeUnit.MILLISECONDS);
        queue.add("a");
        queue.add("a");
        assertThat(queue.take(1, TimeUnit.MILLISECONDS)).as("no second worker gets 'a'").isNull();
        assertThat(queue.idle()).isFalse();

        queue.done(taken);
        assertThat(queue.take(1, TimeUnit.MILLISECONDS)).as("re-queued once after done").isEqualTo("a");
        queue.done("a");
        assertThat(queue.take(1, TimeUnit.MILLISECONDS)).isNull();
        assertThat(queue.idle()).isTrue();
    }

    @Test
    void shutdownReleasesWaitingWorkers() throws Exception {
        Thread waiter = new Thread(() -> {
            try {
                assertThat(queue.take(10, TimeUnit.SECONDS)).isNull();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        queue.shutdown();
        waiter.join(5_000);
        assertThat(waiter.isAlive()).isFalse();
        queue.add("late");
        assertThat(queue.depth()).isZero();
    }
}
