package dev.grantflow.stack;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * kcat (librdkafka) as a producer: a non-Java client with its own default partitioner (CRC32-based
 * {@code consistent_random}, not Java's murmur2). One record per line on its standard input, key and value separated
 * by a tab. {@code .ci/run} installs Debian's {@code kcat}; without it the test fails, never skips.
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
     * Starts {@code kcat -P}.
     *
     * @param nullValues an empty value is sent as a tombstone (kcat's {@code -Z})
     */
    static Kcat producer(String bootstrapServers, String topic, boolean nullValues) {
        List<String> command = new ArrayList<>(List.of("kcat", "-P", "-b", bootstrapServers, "-t", topic, "-K",
                "\t"));
        if (nullValues) {
            command.add("-Z");
        }
        try {
            return new Kcat(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        } catch (IOException e) {
            throw new IllegalStateException("kcat is needed for this test (Debian package kcat; .ci/run installs it)",
                    e);
        }
    }

    synchronized void send(String key, String value) throws IOException {
        stdin.write(key + "\t" + value + "\n");
        stdin.flush();
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
