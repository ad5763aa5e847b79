package dev.grantflow.kafka;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping a child JVM (the broker, a service of the local stack) the way an orchestrator would. */
public final class ChildProcess {

    /** SIGTERM, then SIGKILL if the process is still alive after {@code grace}; waits for the end either way. */
    public static void stop(Process process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private ChildProcess() {
    }
}
