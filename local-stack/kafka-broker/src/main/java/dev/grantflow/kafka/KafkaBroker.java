package dev.grantflow.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real single-node Apache Kafka broker (KRaft, combined broker + controller) in its own JVM on 127.0.0.1.
 *
 * <p>The broker's classpath is the one Maven resolved for {@code org.apache.kafka:kafka_2.13}, recorded at build
 * time in {@code broker-classpath.txt}. Starting means: pick free ports, write {@code server.properties},
 * {@code kafka.tools.StorageTool format}, {@code kafka.Kafka server.properties}, then wait until the admin client
 * sees the cluster. {@link #close()} stops the process (controlled shutdown, then kill) and deletes the data.
 *
 * <p>Topics are never auto-created ({@code auto.create.topics.enable=false}): whoever needs one creates it with
 * {@link #createTopics(Collection)}, exactly as in production.
 */
public final class KafkaBroker implements AutoCloseable {

    /** A topic to create: name, partitions and topic-level configuration (e.g. {@code cleanup.policy}). */
    public record TopicSpec(String name, int partitions, Map<String, String> config) {
        public TopicSpec {
            Objects.requireNonNull(name, "name");
            config = Map.copyOf(config);
        }
    }

    /** How to start the broker. Defaults suit tests: free ports, a temporary directory, a small heap. */
    public record Options(int port, Path workDir, boolean deleteOnClose, Duration startTimeout, List<String> jvmOptions) {

        public static Options defaults() {
            String jvm = System.getenv().getOrDefault("GRANTFLOW_KAFKA_JVM_OPTS",
                    "-Xms128m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
            return new Options(0, null, true, Duration.ofSeconds(60), List.of(jvm.trim().split("\\s+")));
        }

        public Options withPort(int port) {
            return new Options(port, workDir, deleteOnClose, startTimeout, jvmOptions);
        }

        public Options withWorkDir(Path dir, boolean deleteOnClose) {
            return new Options(port, dir, deleteOnClose, startTimeout, jvmOptions);
        }
    }

    private static final String CLASSPATH_RESOURCE = "broker-classpath.txt";

    private final Process process;
    private final Path workDir;
    private final boolean deleteOnClose;
    private final String bootstrapServers;
    private final Path logFile;
    private final Thread shutdownHook;

    private KafkaBroker(Process process, Path workDir, boolean deleteOnClose, String bootstrapServers, Path logFile) {
        this.process = process;
        this.workDir = workDir;
        this.deleteOnClose = deleteOnClose;
        this.bootstrapServers = bootstrapServers;
        this.logFile = logFile;
        this.shutdownHook = new Thread(this::stopProcess, "kafka-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a broker with {@link Options#defaults()}. */
    public static KafkaBroker start() {
        return start(Options.defaults());
    }

    /** Starts a broker and returns once it accepts admin requests; throws with the broker's log tail otherwise. */
    public static KafkaBroker start(Options options) {
        try {
            Path dir = options.workDir() != null ? Files.createDirectories(options.workDir())
                    : Files.createTempDirectory("grantflow-kafka-");
            int port = options.port() > 0 ? options.port() : freePort();
            int controllerPort = freePort();
            String bootstrap = "127.0.0.1:" + port;
            Path config = writeServerProperties(dir, port, controllerPort);
            Path log = dir.resolve("broker.log");
            String classpath = brokerClasspath();

            List<String> format = javaCommand(options, classpath, "kafka.tools.StorageTool");
            format.addAll(List.of("format", "--ignore-formatted", "--cluster-id=" + Uuid.randomUuid(),
                    "--config=" + config));
            runToCompletion(format, dir.resolve("format.log"));

            List<String> server = javaCommand(options, classpath, "kafka.Kafka");
            server.add(config.toString());
            Process process = new ProcessBuilder(server)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            KafkaBroker broker = new KafkaBroker(process, dir, options.deleteOnClose(), bootstrap, log);
            try {
                broker.awaitReady(options.startTimeout());
            } catch (RuntimeException e) {
                broker.close();
                throw e;
            }
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the Kafka broker", e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Creates the topics that do not exist yet; existing ones are left as they are. */
    public void createTopics(Collection<TopicSpec> topics) {
        try (Admin admin = admin()) {
            List<NewTopic> newTopics = topics.stream()
                    .map(t -> new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.config()))
                    .toList();
            admin.createTopics(newTopics).values().forEach((name, future) -> {
                try {
                    future.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Could not create topic " + name + ": " + e.getCause(), e);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("Could not create topic " + name + ": " + e, e);
                }
            });
        }
    }

    /** The names of the topics the broker has (internal topics excluded). */
    public Set<String> topicNames() {
        try (Admin admin = admin()) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not list topics: " + e, e);
        }
    }

    /** An admin client for this broker; the caller closes it. */
    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return Admin.create(props);
    }

    @Override
    public void close() {
        stopProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs (or ran) anyway
        }
        if (deleteOnClose) {
            deleteRecursively(workDir);
        }
    }

    private void stopProcess() {
        ChildProcess.stop(process, Duration.ofSeconds(20));
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The Kafka broker exited with code " + process.exitValue()
                        + " during start-up; log tail:\n" + tail(logFile, 40));
            }
            try (Admin admin = admin()) {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                last = e;
                sleep(200);
            }
        }
        throw new IllegalStateException("The Kafka broker was not ready within " + timeout + " (last error: " + last
                + "); log tail:\n" + tail(logFile, 40));
    }

    private static Path writeServerProperties(Path dir, int port, int controllerPort) throws IOException {
        String listeners = "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort;
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", listeners);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dir.resolve("data").toString());
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Compaction runs promptly so that tests and demos see compacted topics behave as in production.
        p.put("log.cleaner.backoff.ms", "1000");
        Path file = dir.resolve("server.properties");
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(out, "Grantflow single-node KRaft broker");
        }
        return file;
    }

    private static List<String> javaCommand(Options options, String classpath, String mainClass) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(options.jvmOptions());
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        cmd.add("-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info");
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        return cmd;
    }

    private static void runToCompletion(List<String> command, Path log) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("Timed out: " + String.join(" ", command.subList(0, 1)));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while formatting Kafka storage", e);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("Formatting Kafka storage failed (exit " + p.exitValue() + "):\n"
                    + tail(log, 40));
        }
    }

    /** The broker's classpath, recorded by Maven when this module was built. */
    static String brokerClasspath() {
        try (InputStream in = KafkaBroker.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CLASSPATH_RESOURCE + " is missing: build the kafka-broker module with Maven");
            }
            String classpath = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            String missing = Stream.of(classpath.split(java.io.File.pathSeparator))
                    .filter(entry -> !Files.exists(Path.of(entry)))
                    .collect(Collectors.joining(", "));
            if (!missing.isEmpty()) {
                throw new IllegalStateException("Kafka broker jars are missing (rebuild to re-resolve them): " + missing);
            }
            return classpath;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static String tail(Path file, int lines) {
        try (Stream<String> all = Files.lines(file, StandardCharsets.UTF_8)) {
            List<String> list = all.toList();
            return String.join("\n", list.subList(Math.max(0, list.size() - lines), list.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory left behind is harmless
        }
    }
}
