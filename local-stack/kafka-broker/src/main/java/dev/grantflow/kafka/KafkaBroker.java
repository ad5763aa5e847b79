package dev.grantflow.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
 * sees the cluster. {@link #close()} stops the process (controlled shutdown, then kill) and deletes the data;
 * {@link #stop()} and {@link #restart()} take the broker away and bring it back on the same port and data (a broker
 * outage, for fault tests).
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

    /** How to start the broker. Defaults suit tests: free ports, a temporary directory, a small heap, no SASL. */
    public record Options(int port, Path workDir, boolean deleteOnClose, Duration startTimeout, List<String> jvmOptions,
            Sasl sasl) {

        public static Options defaults() {
            String jvm = System.getenv().getOrDefault("GRANTFLOW_KAFKA_JVM_OPTS",
                    "-Xms128m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
            return new Options(0, null, true, Duration.ofSeconds(60), List.of(jvm.trim().split("\\s+")), null);
        }

        public Options withPort(int port) {
            return new Options(port, workDir, deleteOnClose, startTimeout, jvmOptions, sasl);
        }

        /**
         * The broker's directory (configuration, KRaft storage, log). With {@code deleteOnClose} it is the broker's
         * own: cleared at start and deleted on close.
         */
        public Options withWorkDir(Path dir, boolean deleteOnClose) {
            return new Options(port, dir, deleteOnClose, startTimeout, jvmOptions, sasl);
        }

        /**
         * Clients must authenticate: the client listener is SASL_PLAINTEXT with the given mechanism and users, the
         * KRaft {@code StandardAuthorizer} is on, and only the administrator is a super user. Everyone else may do
         * only what an ACL allows (there is no ACL at start; {@code allow.everyone.if.no.acl.found} stays false).
         */
        public Options withSasl(Sasl sasl) {
            return new Options(port, workDir, deleteOnClose, startTimeout, jvmOptions, sasl);
        }
    }

    /**
     * SASL on the client listener: a mechanism ({@link #PLAIN} or {@link #SCRAM_SHA_512}), the administrator (the
     * super user; the launcher itself and the broker's own connections use it) and the other users, name to
     * password. SCRAM credentials are written into the KRaft metadata when the storage is formatted
     * ({@code --add-scram}); PLAIN users are listed in the listener's JAAS configuration. The controller listener
     * uses PLAIN with the administrator's credentials (KRaft controllers cannot use SCRAM: its credentials live in
     * the metadata the controllers serve).
     */
    public record Sasl(String mechanism, String admin, String adminPassword, Map<String, String> users) {

        public static final String PLAIN = "PLAIN";
        public static final String SCRAM_SHA_512 = "SCRAM-SHA-512";
        private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9._-]+");
        private static final java.util.regex.Pattern PASSWORD = java.util.regex.Pattern.compile("[A-Za-z0-9._~-]+");

        public Sasl {
            if (!PLAIN.equals(mechanism) && !SCRAM_SHA_512.equals(mechanism)) {
                throw new IllegalArgumentException("SASL mechanism must be " + PLAIN + " or " + SCRAM_SHA_512);
            }
            users = Map.copyOf(users);
            if (users.containsKey(admin)) {
                throw new IllegalArgumentException("the administrator is not one of the other users");
            }
            check(admin, adminPassword);
            users.forEach(Sasl::check);
        }

        /** Every user, the administrator included. */
        public Map<String, String> allUsers() {
            Map<String, String> all = new java.util.TreeMap<>(users);
            all.put(admin, adminPassword);
            return all;
        }

        /** The JAAS configuration a client of this user sets as {@code sasl.jaas.config}. */
        public String jaasConfig(String user) {
            String password = allUsers().get(user);
            if (password == null) {
                throw new IllegalArgumentException("no SASL user " + user);
            }
            String module = PLAIN.equals(mechanism) ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            return module + " required username=\"" + user + "\" password=\"" + password + "\";";
        }

        private static void check(String name, String password) {
            // Quoted into JAAS configurations and storage-tool arguments: no quotes, commas, brackets or spaces.
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("SASL user names are [A-Za-z0-9._-]+");
            }
            if (password == null || !PASSWORD.matcher(password).matches()) {
                throw new IllegalArgumentException("SASL passwords of user " + name + " must be [A-Za-z0-9._~-]+");
            }
        }

        @Override
        public String toString() {
            return "Sasl[" + mechanism + ", admin=" + admin + ", users=" + new java.util.TreeSet<>(users.keySet())
                    + "]"; // never the passwords
        }
    }

    private static final String CLASSPATH_RESOURCE = "broker-classpath.txt";

    private volatile Process process;
    private final List<String> serverCommand;
    private final Duration startTimeout;
    private final Path workDir;
    private final boolean deleteOnClose;
    private final String bootstrapServers;
    private final Path logFile;
    private final Sasl sasl;
    private final Thread shutdownHook;

    private KafkaBroker(List<String> serverCommand, Duration startTimeout, Path workDir, boolean deleteOnClose,
            String bootstrapServers, Path logFile, Sasl sasl) {
        this.serverCommand = List.copyOf(serverCommand);
        this.startTimeout = startTimeout;
        this.sasl = sasl;
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
            if (options.workDir() != null && options.deleteOnClose()) {
                // This broker's scratch directory: what a run killed before it closed left (another cluster's
                // storage, which the format refuses) goes first.
                deleteRecursively(options.workDir());
            }
            Path dir = options.workDir() != null ? Files.createDirectories(options.workDir())
                    : Files.createTempDirectory("grantflow-kafka-");
            // Two distinct ports: asked for while both sockets are open (two free ports asked for one after the
            // other may be the same one, which the broker refuses).
            int[] free = FreePorts.of(2);
            int port = options.port() > 0 ? options.port() : free[0];
            int controllerPort = free[0] != port ? free[0] : free[1];
            String bootstrap = "127.0.0.1:" + port;
            Path config = writeServerProperties(dir, port, controllerPort, options.sasl());
            Path log = dir.resolve("broker.log");
            String classpath = brokerClasspath();

            List<String> format = javaCommand(options, classpath, "kafka.tools.StorageTool");
            format.addAll(List.of("format", "--ignore-formatted", "--cluster-id=" + Uuid.randomUuid(),
                    "--config=" + config));
            if (options.sasl() != null && Sasl.SCRAM_SHA_512.equals(options.sasl().mechanism())) {
                options.sasl().allUsers().forEach((user, password) -> format.addAll(List.of("--add-scram",
                        Sasl.SCRAM_SHA_512 + "=[name=" + user + ",password=" + password + "]")));
            }
            runToCompletion(format, dir.resolve("format.log"));

            List<String> server = javaCommand(options, classpath, "kafka.Kafka");
            server.add(config.toString());
            KafkaBroker broker = new KafkaBroker(server, options.startTimeout(), dir, options.deleteOnClose(),
                    bootstrap, log, options.sasl());
            try {
                broker.launch();
            } catch (RuntimeException e) {
                broker.close();
                throw e;
            }
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the Kafka broker", e);
        }
    }

    /** Runs {@code kafka.Kafka server.properties} (output appended to the log) and waits until it is ready. */
    private void launch() {
        try {
            process = ChildProcess.start(new ProcessBuilder(serverCommand)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the Kafka broker", e);
        }
        awaitReady(startTimeout);
    }

    /**
     * Stops the broker process as {@link #close()} does (SIGTERM: a controlled shutdown; SIGKILL after 20 s) but keeps
     * everything {@link #restart()} needs: the KRaft storage and log directories, {@code server.properties} (the same
     * client and controller ports, the same listeners) and the cluster id. Clients see the broker go away.
     */
    public synchronized void stop() {
        stopProcess();
    }

    /**
     * Starts the stopped broker again on the same port and data directory (no new format: the storage keeps its
     * cluster id, topics, committed offsets and producer state) and returns once it accepts admin requests again.
     */
    public synchronized void restart() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("The Kafka broker is running; stop() it first");
        }
        launch();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The SASL settings the broker was started with, or null when its client listener is PLAINTEXT. */
    public Sasl sasl() {
        return sasl;
    }

    /**
     * What a client of this user needs besides {@code bootstrap.servers}: {@code security.protocol},
     * {@code sasl.mechanism} and {@code sasl.jaas.config}. Empty for a PLAINTEXT broker. The map holds the user's
     * password: never log it.
     */
    public Map<String, Object> clientSecurity(String user) {
        if (sasl == null) {
            return Map.of();
        }
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", sasl.mechanism(),
                "sasl.jaas.config", sasl.jaasConfig(user));
    }

    /** The broker's own log (its console output), e.g. to check that no secret reached it. */
    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        Process current = process;
        return current != null && current.isAlive();
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

    /** An admin client for this broker (as the SASL administrator, a super user, when SASL is on); the caller closes it. */
    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        if (sasl != null) {
            props.putAll(clientSecurity(sasl.admin()));
        }
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
        Process current = process;
        if (current != null) {
            ChildProcess.stop(current, Duration.ofSeconds(20));
        }
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Exception last = null;
        Process process = this.process;
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

    private static Path writeServerProperties(Path dir, int port, int controllerPort, Sasl sasl) throws IOException {
        String client = sasl == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
        String listeners = client + "://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort;
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", listeners);
        p.put("advertised.listeners", client + "://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", client);
        if (sasl == null) {
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        } else {
            p.put("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
            String mechanism = sasl.mechanism().toLowerCase(java.util.Locale.ROOT);
            p.put("listener.name.sasl_plaintext.sasl.enabled.mechanisms", sasl.mechanism());
            p.put("sasl.mechanism.inter.broker.protocol", sasl.mechanism());
            StringBuilder clientJaas = new StringBuilder(sasl.jaasConfig(sasl.admin()));
            if (Sasl.PLAIN.equals(sasl.mechanism())) {
                clientJaas.setLength(clientJaas.length() - 1);
                sasl.allUsers().forEach((user, password) -> clientJaas.append(" user_").append(user).append("=\"")
                        .append(password).append('"'));
                clientJaas.append(';');
            }
            p.put("listener.name.sasl_plaintext." + mechanism + ".sasl.jaas.config", clientJaas.toString());
            // Controller listener: PLAIN, only the administrator (the broker's own connection to the controller).
            p.put("sasl.mechanism.controller.protocol", Sasl.PLAIN);
            p.put("listener.name.controller.sasl.enabled.mechanisms", Sasl.PLAIN);
            p.put("listener.name.controller.plain.sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + sasl.admin()
                            + "\" password=\"" + sasl.adminPassword() + "\" user_" + sasl.admin() + "=\""
                            + sasl.adminPassword() + "\";");
            p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            p.put("super.users", "User:" + sasl.admin());
            p.put("allow.everyone.if.no.acl.found", "false");
        }
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
