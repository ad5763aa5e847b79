package dev.grantflow.stack;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * kcat (librdkafka) as a producer: a non-Java client with its own default partitioner (CRC32-based
 * {@code consistent_random}, not Java's murmur2), one signed record per run. Used by the end-to-end test and the
 * {@link Soak}. {@code .ci/run} installs Debian's {@code kcat}; without it the test fails, never skips.
 */
final class Kcat implements AutoCloseable {

    private final Process process;
    private final Writer stdin;
    private boolean closed;

    private Kcat(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /**
     * Produces one record with kcat's own partitioner and a {@code grantflow-signature} header (kcat takes headers per
     * run, so a signed record is one run), and checks that kcat delivered it.
     */
    static void sendSigned(String bootstrapServers, String topic, String key, String value, String signature) {
        List<String> command = List.of("kcat", "-P", "-b", bootstrapServers, "-t", topic, "-k", key, "-H",
                dev.grantflow.trust.Signatures.HEADER + "=" + signature);
        try (Kcat once = new Kcat(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start())) {
            once.stdin.write(value + "\n");
        } catch (IOException e) {
            throw new IllegalStateException("kcat is needed here (Debian package kcat; .ci/run installs it)", e);
        }
    }

    /** Closes standard input; kcat delivers what it read and exits, which is checked. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stdin.close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kcat did not finish delivering within 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("kcat exited with " + process.exitValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
