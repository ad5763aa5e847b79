package dev.grantflow.model.control;

import java.time.Duration;
import java.util.Objects;

/**
 * A point in time on a {@link Ticker}, for loops that must give up: {@link #passed()} once the ticker is beyond it.
 *
 * @param ticker  the clock it is read on
 * @param atNanos the ticker's reading at which it passes
 */
public record Deadline(Ticker ticker, long atNanos) {

    public Deadline {
        Objects.requireNonNull(ticker, "ticker");
    }

    /** {@code timeout} from now on the JVM's monotonic clock. */
    public static Deadline after(Duration timeout) {
        return after(timeout, Ticker.SYSTEM);
    }

    /** {@code timeout} from now on {@code ticker}. */
    public static Deadline after(Duration timeout, Ticker ticker) {
        return new Deadline(ticker, ticker.nanoTime() + timeout.toNanos());
    }

    /** Whether the ticker is now strictly beyond the deadline. */
    public boolean passed() {
        return ticker.nanoTime() - atNanos > 0;
    }
}
