package dev.grantflow.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Starting and stopping a child JVM (the broker, a service of the local stack) the way an orchestrator would, and so
 * that it does not outlive the JVM that started it.
 *
 * <p>A JVM that is SIGKILLed runs no shutdown hook: its children would keep running (a broker holding its port, three
 * services writing into the API). On Linux a child started here asks the kernel for SIGKILL when its parent dies
 * ({@code prctl(PR_SET_PDEATHSIG)}, through util-linux's {@code setpriv --pdeathsig KILL}, which then executes the
 * command in the same process: same pid). The kernel's "parent" is the <em>thread</em> that started the child, so
 * every child is started by one thread that lives as long as this JVM ({@link #LAUNCHER}): a child started from a
 * short-lived thread would otherwise be killed when that thread ends. Where {@code setpriv} is missing or lacks the
 * option, children are started as they are (and outlive a SIGKILLed parent).
 */
public final class ChildProcess {

    /** {@code setpriv}, where it can set the parent-death signal; null elsewhere. */
    private static final String SETPRIV = setpriv();
    /** The one thread that starts every child: it ends only with this JVM. */
    private static final ExecutorService LAUNCHER = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "child-process-launcher");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Starts {@code builder}'s command as {@link ProcessBuilder#start()} does, bound to this JVM's life where the
     * platform allows it ({@link #boundToParent()}). The builder is left as it was given.
     */
    public static Process start(ProcessBuilder builder) throws IOException {
        if (SETPRIV == null) {
            return builder.start();
        }
        List<String> command = builder.command();
        List<String> bound = new ArrayList<>(List.of(SETPRIV, "--pdeathsig", "KILL", "--"));
        bound.addAll(command);
        Future<Process> started = LAUNCHER.submit(() -> {
            builder.command(bound);
            try {
                return builder.start();
            } finally {
                builder.command(command);
            }
        });
        try {
            // Uninterrupted: starting takes milliseconds, and a child started for an interrupted caller must still
            // reach it, or nothing could stop it.
            return getUninterruptibly(started);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("Could not start " + command.get(0), e.getCause());
        }
    }

    /** Whether children die with this JVM, even when it is SIGKILLed ({@code setpriv --pdeathsig} works here). */
    public static boolean boundToParent() {
        return SETPRIV != null;
    }

    /** {@link Future#get()} without giving up on an interrupt, which is restored after. */
    private static <T> T getUninterruptibly(Future<T> future) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String setpriv() {
        for (String dir : List.of("/usr/bin", "/bin")) {
            Path candidate = Path.of(dir, "setpriv");
            if (Files.isExecutable(candidate) && works(candidate.toString())) {
                return candidate.toString();
            }
        }
        return null;
    }

    /** Whether this {@code setpriv} knows {@code --pdeathsig} (util-linux 2.33 and later). */
    private static boolean works(String setpriv) {
        try {
            Process probe = new ProcessBuilder(setpriv, "--pdeathsig", "KILL", "--", "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!probe.waitFor(10, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                return false;
            }
            return probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

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
