package dev.grantflow.model.control;

import java.time.Duration;
import java.util.Objects;

/**
 * The retry delay of one loop that is not keyed, e.g. "the broker is away, read the topic again later": each
 * {@link #next()} waits longer (as the {@link RateLimiter} says) until {@link #reset()} after a success.
 *
 * <p>Not thread-safe: one loop owns it. Keyed work uses {@link WorkQueue#addRateLimited} instead.
 */
public final class Backoff {

    private final RateLimiter limiter;
    private int attempts;

    public Backoff(RateLimiter limiter) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
    }

    /** The delay before the next retry; counts one more attempt. */
    public Duration next() {
        Duration delay = limiter.delay(attempts);
        if (attempts < Integer.MAX_VALUE) {
            attempts++;
        }
        return delay;
    }

    /** After a success: the next failure waits the first delay again. */
    public void reset() {
        attempts = 0;
    }

    /** Consecutive failures since the last {@link #reset()}. */
    public int attempts() {
        return attempts;
    }
}
