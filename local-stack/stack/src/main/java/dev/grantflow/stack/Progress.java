package dev.grantflow.stack;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Readable progress lines, with a spinner while waiting when the output is a terminal. */
final class Progress {

    private static final char[] SPINNER = {'|', '/', '-', '\\'};
    private static final PrintStream OUT = System.out;
    private static final boolean TERMINAL = System.console() != null;

    static void step(String text) {
        OUT.println("==> " + text);
    }

    static void info(String text) {
        OUT.println("    " + text);
    }

    static void ok(String text) {
        OUT.println("    ok  " + text);
    }

    /** Runs {@code action}, showing a spinner with {@code label}; prints how long it took. */
    static <T> T waitFor(String label, java.util.function.Supplier<T> action) {
        Instant start = Instant.now();
        Thread spinner = TERMINAL ? startSpinner(label) : null;
        try {
            T result = action.get();
            clear(spinner);
            ok(label + " (" + Duration.between(start, Instant.now()).toMillis() + " ms)");
            return result;
        } catch (RuntimeException e) {
            clear(spinner);
            OUT.println("    FAILED  " + label + ": " + e.getMessage());
            throw e;
        }
    }

    /** Polls {@code condition} until true or the timeout; returns the elapsed time. */
    static Duration until(String label, Duration timeout, BooleanSupplier condition) {
        return waitFor(label, () -> {
            Instant start = Instant.now();
            while (!condition.getAsBoolean()) {
                if (Duration.between(start, Instant.now()).compareTo(timeout) > 0) {
                    throw new IllegalStateException("not within " + timeout.toSeconds() + " s");
                }
                pause(Duration.ofMillis(20));
            }
            return Duration.between(start, Instant.now());
        });
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private static Thread startSpinner(String label) {
        Thread thread = new Thread(() -> {
            int i = 0;
            while (!Thread.currentThread().isInterrupted()) {
                OUT.print("\r    " + SPINNER[i++ % SPINNER.length] + " " + label);
                OUT.flush();
                try {
                    Thread.sleep(120);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "spinner");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void clear(Thread spinner) {
        if (spinner != null) {
            spinner.interrupt();
            try {
                spinner.join(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            OUT.print("\r\033[2K");
        }
    }

    private Progress() {
    }
}
