package dev.grantflow.model.control;

/**
 * A monotonic clock in nanoseconds, as {@link System#nanoTime()}: only differences between two readings mean
 * anything. {@link WorkQueue} reads the ready time of delayed keys from it, so that tests can move time by hand.
 */
@FunctionalInterface
public interface Ticker {

    /** The JVM's monotonic clock. */
    Ticker SYSTEM = System::nanoTime;

    long nanoTime();
}
