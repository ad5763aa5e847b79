package dev.grantflow.stack;

import dev.grantflow.kafka.ChildProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One Grantflow service run from its Quarkus fast-jar as a separate JVM, logging to a file. */
final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;
    private final String readinessUrl;

    private ServiceProcess(String name, Process process, int port, Path log, String readinessUrl) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
        this.readinessUrl = readinessUrl;
    }

    /** The JVM options of a service started without options of its own. */
    static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    /**
     * Starts {@code <root>/<module>/target/quarkus-app/quarkus-run.jar}.
     *
     * @param environment extra environment (Quarkus reads {@code QUARKUS_*} and {@code GRANTFLOW_*} variables)
     */
    static ServiceProcess start(Path root, String module, int port, Map<String, String> environment, Path logDir) {
        return start(root, module, port, environment, logDir, DEFAULT_JVM_OPTIONS);
    }

    static ServiceProcess start(Path root, String module, int port, Map<String, String> environment, Path logDir,
            List<String> jvmOptions) {
        return start(root, module, port, environment, logDir, jvmOptions,
                "http://127.0.0.1:" + port + "/q/health/ready");
    }

    /** As above, with readiness read from {@code readinessUrl} (e.g. a separate management port). */
    static ServiceProcess start(Path root, String module, int port, Map<String, String> environment, Path logDir,
            List<String> jvmOptions, String readinessUrl) {
        Path jar = fastJar(root, module);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (mvn -B -DskipTests package)");
        }
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        Path log = logDir.resolve(module + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        try {
            Files.createDirectories(logDir);
            return new ServiceProcess(module, ChildProcess.start(builder), port, log, readinessUrl);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + module, e);
        }
    }

    /**
     * Makes the module's AppCDS archive at {@code archive} the way its image build does ({@code Dockerfile.jvm}): the
     * application started with {@code quarkus.appcds.generate}, which stops it after its static initialization, and
     * the classes it loaded archived at exit. The archive records the jar's path: a service started by
     * {@link #start} with {@code -XX:SharedArchiveFile=<archive>} uses it (the JVM silently does without it when the
     * jar changed since).
     */
    static void makeClassArchive(Path root, String module, Path archive) {
        List<String> command = List.of(javaBinary(), "-XX:ArchiveClassesAtExit=" + archive,
                "-Dquarkus.appcds.generate=true", "-jar", fastJar(root, module).toString());
        Path log = archive.resolveSibling(archive.getFileName() + ".log");
        try {
            Files.deleteIfExists(archive);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(3, java.util.concurrent.TimeUnit.MINUTES) || process.exitValue() != 0
                    || !Files.isRegularFile(archive)) {
                process.destroyForcibly();
                throw new IllegalStateException("Could not make the class archive of " + module + ", see " + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not make the class archive of " + module, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the class archive of " + module, e);
        }
    }

    /** The java launcher of the JVM running this class, for the processes it starts. */
    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path fastJar(Path root, String module) {
        return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    String name() {
        return name;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    Path log() {
        return log;
    }

    long pid() {
        return process.pid();
    }

    /** The process is running (not killed, not exited). */
    boolean alive() {
        return process.isAlive();
    }

    /** The Prometheus endpoint, beside the readiness endpoint (the management port where the service has one). */
    String metricsUrl() {
        return readinessUrl.replace("/q/health/ready", "/q/metrics");
    }

    /**
     * The Prometheus lines whose series starts with {@code series} (e.g. {@code grantflow_signature_checks_total}),
     * empty when the service does not answer.
     */
    java.util.List<String> metricLines(String series) {
        try {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(metricsUrl()))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().filter(line -> line.startsWith(series)).toList();
        } catch (IOException | RuntimeException e) {
            return java.util.List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.List.of();
        }
    }

    /** The value of the one series line starting with {@code series} (name and labels), or -1 without one. */
    double metric(String series) {
        return metricLines(series).stream().findFirst().map(line -> Double.parseDouble(line.substring(
                line.lastIndexOf(' ') + 1))).orElse(-1.0);
    }

    /** The process's resident set size ({@code VmRSS} of {@code /proc/<pid>/status}) in bytes, or -1 when gone. */
    long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // exited, or not Linux
        }
        return -1;
    }

    /** Waits until {@code /q/health/ready} answers 200. */
    void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plus(timeout);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(readinessUrl))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + response.statusCode() + " " + response.body().replaceAll("\\s+", " ");
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted", e);
            }
            Progress.pause(Duration.ofMillis(250));
        }
        throw new IllegalStateException(name + " not ready within " + timeout + " (" + last + "); see " + log);
    }

    /**
     * The {@code data} of the named check in the readiness answer (DOWN answers included), or a missing node when
     * the service does not answer.
     */
    com.fasterxml.jackson.databind.JsonNode readinessData(String check) {
        try {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(readinessUrl))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            for (var node : dev.grantflow.model.json.Json.readTree(body).path("checks")) {
                if (check.equals(node.path("name").asText())) {
                    return node.path("data");
                }
            }
        } catch (IOException | RuntimeException e) {
            // not answering (yet): missing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** SIGKILL, as a crash or a lost node would end it: no shutdown hook runs, the consumer group is not left. */
    void kill() {
        try {
            process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        ChildProcess.stop(process, Duration.ofSeconds(15));
    }
}
