package dev.grantflow.model.control;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before retry number {@code attempt} (0 = the first retry). Stateless: the caller counts the
 * attempts ({@link WorkQueue} per key, {@link Backoff} for a single loop).
 *
 * <p>{@link #exponential} is client-go's {@code ItemExponentialFailureRateLimiter}: {@code base * 2^attempt}, capped
 * at {@code max}. client-go's default controller limiter also applies an overall token bucket across keys; Grantflow
 * has no such limiter (a bounded number of workers is its overall limit).
 */
@FunctionalInterface
public interface RateLimiter {

    /** The delay before retry number {@code attempt}; {@code attempt} is 0 or more. */
    Duration delay(int attempt);

    /** {@code base * 2^attempt}, capped at {@code max}: attempt 0 waits {@code base}. */
    static RateLimiter exponential(Duration base, Duration max) {
        long baseNanos = nanos(base, "base");
        long maxNanos = nanos(max, "max");
        if (maxNanos < baseNanos) {
            throw new IllegalArgumentException("max " + max + " is shorter than base " + base);
        }
        return attempt -> Duration.ofNanos(exponentialNanos(baseNanos, maxNanos, attempt));
    }

    /**
     * As {@link #exponential}, then a uniformly random delay in {@code [d/2, d]} for the exponential delay {@code d},
     * so that keys that failed together do not all retry at the same instant.
     */
    static RateLimiter exponentialWithJitter(Duration base, Duration max) {
        RateLimiter exponential = exponential(base, max);
        return attempt -> {
            long d = exponential.delay(attempt).toNanos();
            long half = d / 2;
            return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(d - half + 1));
        };
    }

    private static long exponentialNanos(long base, long max, int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be 0 or more: " + attempt);
        }
        // base << attempt > max  <=>  base > max >> attempt (integers); a shift by 62 already exceeds any max.
        int shift = Math.min(attempt, 62);
        return base > (max >> shift) ? max : base << shift;
    }

    private static long nanos(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + duration);
        }
        return duration.toNanos();
    }
}
