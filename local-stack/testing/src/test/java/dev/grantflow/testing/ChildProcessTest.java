package dev.grantflow.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grantflow.kafka.ChildProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@link ChildProcess#start}: a child (the broker, a service of the local stack) dies with the JVM that started it,
 * also when that JVM is SIGKILLed and runs no shutdown hook; and not before, when the thread that asked for it ends.
 */
class ChildProcessTest {

    @Test
    void aChildDiesWithTheJvmThatStartedItEvenWhenThatJvmIsKilled() throws Exception {
        // The kernel's parent-death signal is Linux's; elsewhere children are started as they are.
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"), "not Linux");
        assertThat(ChildProcess.boundToParent()).as("setpriv --pdeathsig works (util-linux 2.33 or later on the PATH;"
                + " .ci/run installs it)").isTrue();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process parent = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Parent.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long child = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(line).as("the parent's report of its child's pid").isNotNull().startsWith("child ");
            child = Long.parseLong(line.substring("child ".length()));
            // The thread that asked for the child has ended (the parent joined it before printing): the child lives on.
            assertThat(running(child)).as("the child after the thread that asked for it ended").isTrue();

            parent.destroyForcibly().waitFor();

            long pid = child;
            await().atMost(Duration.ofSeconds(30)).until(() -> !running(pid));
        } finally {
            parent.destroyForcibly();
            if (child > 0) {
                ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    /** Whether the process runs: it exists and is neither a zombie nor dead ({@code /proc/<pid>/stat}'s state). */
    private static boolean running(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return false;
        }
        String text;
        try {
            text = Files.readString(stat);
        } catch (IOException e) {
            return false;
        }
        // pid (comm) state ...: the command may contain spaces and parentheses, the state follows the last ')'.
        char state = text.substring(text.lastIndexOf(')') + 2).charAt(0);
        return state != 'Z' && state != 'X';
    }

    /** The parent JVM: starts a long-lived child from a short-lived thread, prints its pid, then waits to be killed. */
    public static final class Parent {
        public static void main(String[] args) throws Exception {
            AtomicReference<Process> child = new AtomicReference<>();
            Thread asker = new Thread(() -> {
                try {
                    child.set(ChildProcess.start(new ProcessBuilder(List.of("sleep", "600"))));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, "short-lived");
            asker.start();
            asker.join();
            // join() returns when the Java thread is done; the kernel's thread (whose end would signal the child)
            // may still be exiting: wait until it is gone from /proc.
            while (threadNamed("short-lived")) {
                Thread.onSpinWait();
            }
            System.out.println("child " + child.get().pid());
            System.out.flush();
            new CountDownLatch(1).await();
        }

        private static boolean threadNamed(String name) throws IOException {
            try (var tasks = Files.list(Path.of("/proc/self/task"))) {
                return tasks.anyMatch(task -> {
                    try {
                        return Files.readString(task.resolve("comm")).strip().equals(name);
                    } catch (IOException e) {
                        return false; // the thread ended while listed
                    }
                });
            }
        }
    }
}
