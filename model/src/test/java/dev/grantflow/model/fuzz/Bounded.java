package dev.grantflow.model.fuzz;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one call of the code under test with a bound on its time, so that a property fails on a hang instead of
 * hanging the build. The bound is generous (a loaded 2-core machine must never hit it): it detects hangs, it measures
 * nothing. Exceptions of the call are rethrown unchanged on the caller's thread, where the property asserts.
 */
public final class Bounded {

    /** Far above any single decode or decision (milliseconds); reached only by a hang or runaway work. */
    public static final Duration LIMIT = Duration.ofSeconds(20);

    private static final ExecutorService WORKER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "bounded-call");
        t.setDaemon(true);
        return t;
    });

    private Bounded() {
    }

    public static <T> T call(Callable<T> call) {
        Future<T> future = WORKER.submit(call);
        try {
            return future.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new AssertionError("the call did not finish within " + LIMIT.toSeconds() + " s (a hang)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new AssertionError("the call threw " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
